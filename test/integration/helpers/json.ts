// An answer's body as JSON when it is JSON, else undefined: tests look at both the text and the parsed form.
export function jsonOrUndefined(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
