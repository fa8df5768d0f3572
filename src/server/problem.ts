/**
 * RFC 9457 problem details. Every error the API returns has this shape; `errors` names the
 * offending fields so a form can put each message beside its input.
 */
export interface FieldError {
  /** JSON-pointer-like path of the field, e.g. "email" or "stages.2.probability". */
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, errors?: FieldError[], extra?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.extra = extra;
  }
}

export const invalid = (field: string, message: string, code = 'validation_failed') =>
  new AppError(400, code, `${field}: ${message}`, [{ field, message }]);
export const unauthenticated = (message = 'Sign in to continue') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You do not have permission for this action') =>
  new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, field?: string) =>
  new AppError(409, code, message, field ? [{ field, message }] : undefined);
export const staleVersion = (what: string, current: number) =>
  new AppError(409, 'version_conflict', `${what} was changed by someone else; reload and try again`, [
    { field: 'version', message: `stale version; current version is ${current}` },
  ], { currentVersion: current });
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', message, undefined, { retryAfterSeconds });

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export const problemTitle = (status: number): string => TITLES[status] ?? 'Error';

export function toProblem(status: number, code: string, detail: string, errors?: FieldError[], extra?: Record<string, unknown>): Problem {
  return {
    type: `https://keyline.dev/problems/${code}`,
    title: problemTitle(status),
    status,
    detail,
    code,
    ...(errors && errors.length ? { errors } : {}),
    ...extra,
  };
}
