// The reference service's own errors, in the classic shape the Studio (classic) services answered: the error
// class at the top (BadArgument, Unauthorized, NotFound, …), the specific code in `details`, never empty.
// It is a separate product from the facade (a stand-in for a foreign service), so it shares no code with it.
import type { z } from 'zod';

export interface ErrorDetail {
  code: string;
  target?: string;
  message: string;
}

export class ServiceError extends Error {
  readonly details: ErrorDetail[];

  constructor(
    readonly status: number,
    /** The classic error class, e.g. BadArgument. */
    readonly classCode: string,
    message: string,
    details: ErrorDetail | ErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
    const list = (Array.isArray(details) ? details : [details]).slice(0, 20);
    this.details = list.length > 0 ? list : [{ code: classCode, message }];
  }

  get body(): { error: { code: string; message: string; details: ErrorDetail[] } } {
    return { error: { code: this.classCode, message: this.message, details: this.details } };
  }
}

export function badArgument(message: string, details: ErrorDetail | ErrorDetail[]): ServiceError {
  return new ServiceError(400, 'BadArgument', message, details);
}

export function notFound(code: string, message: string, target?: string): ServiceError {
  return new ServiceError(404, 'NotFound', message, target === undefined ? { code, message } : { code, target, message });
}

/** zod issues → one detail each, naming the field as "Inputs.input1.Values[0]". */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], code: string, root = ''): ErrorDetail[] {
  return issues.slice(0, 20).map((issue) => {
    let target = root;
    for (const key of issue.path) {
      if (typeof key === 'number') target += `[${key}]`;
      else target += target ? `.${String(key)}` : String(key);
    }
    return { code, target: target || 'body', message: issue.message };
  });
}
