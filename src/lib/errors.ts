// The facade's one error type. Anything thrown as a GatewayError is a decision (bad input, no access,
// backend trouble) and becomes the classic JSON error; anything else is a bug and becomes a logged 500.

export interface ErrorDetail {
  code: string;
  target?: string;
  message: string;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** Extra response headers, e.g. Retry-After on a 429. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: ErrorDetail[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'GatewayError';
    this.status = status;
    this.code = code;
    this.details = options.details ?? [];
    this.headers = options.headers ?? {};
  }
}

/** The classic Azure ML web-service error body. */
export interface ClassicErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] };
}

export function classicErrorBody(code: string, message: string, details: ErrorDetail[] = []): ClassicErrorBody {
  return details.length > 0 ? { error: { code, message, details } } : { error: { code, message } };
}
