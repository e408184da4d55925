// What storage errors mean to the facade, in one place: their HTTP status, "not found", the 503 a storage fault
// becomes (the facade's trouble, never the caller's), and texts about them that are safe to log.
import { GatewayError } from '../errors.js';

/** The HTTP status a storage SDK error carries, if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** Storage faults are the facade's trouble, not the caller's: a clear 503, never a bare 500. */
export function storageUnavailable(error: unknown): GatewayError {
  return new GatewayError('StorageUnavailable', 'The facade storage is unavailable; try again shortly.', {
    headers: { 'retry-after': '5' },
    cause: error,
  });
}

/** Query strings (SAS), account keys and signatures removed: SDK messages and URLs may carry them. */
export function redact(text: string): string {
  return text
    .replace(/(https?:\/\/[^\s?#"'<>]*)[?#][^\s"'<>]*/gi, '$1?[redacted]')
    .replace(/\b(AccountKey|SharedAccessSignature|sig|se|sv)=[^;&\s"'<>]*/gi, '$1=[redacted]');
}

/** One line about a storage error, safe to log. */
export function describeStorageError(error: unknown): string {
  const e = (error ?? {}) as { name?: string; code?: string; statusCode?: number; message?: string };
  const firstLine = String(e.message ?? error).split('\n')[0] ?? '';
  const parts = [e.name ?? 'Error', e.statusCode, e.code, firstLine].filter((p) => p !== undefined && p !== '');
  return redact(parts.join(' ')).slice(0, 500);
}

/** A 503 whose cause is the redacted text, so that logging the error chain cannot leak a SAS or a key. */
export function storageFault(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return storageUnavailable(new Error(describeStorageError(error)));
}
