// The facade's one error type and the classic error shape. Every code the facade can emit is listed once in
// ERROR_CODES with its HTTP status and its classic error class: the class goes at the top of the body, the
// specific code into `details`, as the classic services answered
// ({"error":{"code":"Unauthorized","message":…,"details":[{"code":"ScoreRequestUnauthorized",…}]}}), and
// clients that parse that shape raise their own exception for each class. Anything thrown that is not a
// GatewayError is a bug and becomes a logged 500.

export interface ErrorDetail {
  code: string;
  target?: string;
  message: string;
}

/** Specific code → its status and class. Adding a code here is the only way to emit it. */
export const ERROR_CODES = {
  // 400: the caller's request is wrong; `target` names the field.
  RequestBodyInvalid: { status: 400, class: 'BadArgument' },
  InvalidQueryParameter: { status: 400, class: 'BadArgument' },
  InvalidInputNames: { status: 400, class: 'BadArgument' },
  InvalidOutputNames: { status: 400, class: 'BadArgument' },
  BatchJobInputsNotSpecified: { status: 400, class: 'BadArgument' },
  InvalidBlob: { status: 400, class: 'BadArgument' },
  InvalidConnectionString: { status: 400, class: 'BadArgument' },
  StorageHostNotAllowed: { status: 400, class: 'BadArgument' },
  MissingJobId: { status: 400, class: 'BadArgument' },
  InvalidPathParameter: { status: 400, class: 'BadArgument' },
  TooManyRows: { status: 400, class: 'BadArgument' },
  InputParseError: { status: 400, class: 'BadArgument' },
  InvalidGlobalParameter: { status: 400, class: 'BadArgument' },
  /** The model itself refused the caller's input (a 4xx from the model server): the caller's to fix. */
  ModelRejectedInput: { status: 400, class: 'BadArgument' },
  /** A batch operation on a service whose backend scores online only. */
  BatchNotSupported: { status: 400, class: 'InvalidOperation' },
  /** A request-response call on a service whose backend runs batch jobs only. */
  BatchOnly: { status: 400, class: 'InvalidOperation' },
  CannotStartJob: { status: 400, class: 'InvalidOperation' },
  SubscriptionCancelled: { status: 400, class: 'InvalidOperation' },
  // 401/403: who may call what (APIM's statuses).
  ScoreRequestUnauthorized: { status: 401, class: 'Unauthorized' },
  AdminKeyUnauthorized: { status: 401, class: 'Unauthorized' },
  SubscriptionNotActive: { status: 403, class: 'Forbidden' },
  /** The subscription's expiresAt has passed (PATCH a later one, or null, to lift it). */
  SubscriptionExpired: { status: 403, class: 'Forbidden' },
  SubscriptionProductNotFound: { status: 403, class: 'Forbidden' },
  OperationNotAllowed: { status: 403, class: 'Forbidden' },
  ServiceNotAllowed: { status: 403, class: 'Forbidden' },
  QuotaExceeded: { status: 403, class: 'Forbidden' },
  CorsNotAllowed: { status: 403, class: 'Forbidden' },
  // 404: unknown things, and other subscriptions' things.
  WebServiceNotFound: { status: 404, class: 'NotFound' },
  JobNotFound: { status: 404, class: 'NotFound' },
  JobResultNotFound: { status: 404, class: 'NotFound' },
  InputBlobNotFound: { status: 404, class: 'NotFound' },
  SubscriptionNotFound: { status: 404, class: 'NotFound' },
  ProductNotFound: { status: 404, class: 'NotFound' },
  ResourceNotFound: { status: 404, class: 'NotFound' },
  UploadStalled: { status: 408, class: 'RequestTimeout' },
  ConcurrentUpdate: { status: 409, class: 'Conflict' },
  JobBusy: { status: 409, class: 'Conflict' },
  /** A product some subscriptions (or catalogue entries) still use: each is named in `details`. */
  ProductInUse: { status: 409, class: 'Conflict' },
  /** starter and unlimited are defined in code: they can be changed (PUT) but not deleted. */
  ProductBuiltIn: { status: 409, class: 'Conflict' },
  RequestBodyTooLarge: { status: 413, class: 'RequestEntityTooLarge' },
  UnsupportedContentEncoding: { status: 415, class: 'UnsupportedMediaType' },
  // 429: slow down (Retry-After says how long).
  RateLimitExceeded: { status: 429, class: 'TooManyRequests' },
  TooManyFailedAuthentications: { status: 429, class: 'TooManyRequests' },
  TooManyOpenJobs: { status: 429, class: 'TooManyRequests' },
  /** The backend is saturated (its own 429 or 503): retry after Retry-After. */
  BackendBusy: { status: 429, class: 'TooManyRequests' },
  // 5xx: the facade's or a dependency's trouble, never the caller's.
  InternalServerError: { status: 500, class: 'InternalError' },
  BackendUnreachable: { status: 502, class: 'BadGateway' },
  BackendError: { status: 502, class: 'BadGateway' },
  BackendInvalidResponse: { status: 502, class: 'BadGateway' },
  BackendUnauthorized: { status: 502, class: 'BadGateway' },
  BackendOutputInvalid: { status: 502, class: 'BadGateway' },
  BackendOutputNotFound: { status: 502, class: 'BadGateway' },
  /** The model container failed (an Azure ML 424 with a 5xx from the model). */
  BackendModelError: { status: 502, class: 'BadGateway' },
  StorageUnavailable: { status: 503, class: 'ServiceUnavailable' },
  KeyVaultUnavailable: { status: 503, class: 'ServiceUnavailable' },
  /** The managed identity issued no token for a backend. */
  IdentityUnavailable: { status: 503, class: 'ServiceUnavailable' },
  CountersBusy: { status: 503, class: 'ServiceUnavailable' },
  TooManyUploads: { status: 503, class: 'ServiceUnavailable' },
  DependencyUnhealthy: { status: 503, class: 'ServiceUnavailable' },
  BackendScoreTimeout: { status: 504, class: 'GatewayTimeout' },
} as const satisfies Record<string, { status: number; class: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface GatewayErrorOptions {
  /** The field or parameter at fault, named in the one detail (ignored when `details` is given). */
  target?: string;
  /** Several problems at once (e.g. one per invalid field); each carries its own specific code. */
  details?: ErrorDetail[];
  /** Extra response headers, e.g. Retry-After on a 429. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** A backend's own classic error, passed through as it judged the caller's request (status and codes kept). */
export interface BackendVerdict {
  status: number;
  code: string;
}

export class GatewayError extends Error {
  readonly status: number;
  /** The specific code (e.g. ScoreRequestUnauthorized). */
  readonly code: string;
  /** The classic error class at the top of the body (e.g. Unauthorized). */
  readonly classCode: string;
  /** Never empty. */
  readonly details: ErrorDetail[];
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode | BackendVerdict, message: string, options: GatewayErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'GatewayError';
    if (typeof code === 'string') {
      this.status = ERROR_CODES[code].status;
      this.code = code;
      this.classCode = ERROR_CODES[code].class;
    } else {
      this.status = code.status;
      this.code = code.code;
      this.classCode = code.code;
    }
    this.details = nonEmptyDetails(options.details, { code: this.code, target: options.target, message });
    this.headers = options.headers ?? {};
  }
}

function nonEmptyDetails(details: ErrorDetail[] | undefined, fallback: { code: string; target?: string | undefined; message: string }): ErrorDetail[] {
  if (details && details.length > 0) return details;
  const { code, target, message } = fallback;
  return [target === undefined ? { code, message } : { code, target, message }];
}

/** The classic Azure ML web-service error body. */
export interface ClassicErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

export function classicErrorBody(error: GatewayError): ClassicErrorBody {
  return { error: { code: error.classCode, message: error.message, details: error.details } };
}
