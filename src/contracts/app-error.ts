import { PROBLEM_STATUS, type FieldError, type FieldIssue, type ProblemCode, type ProblemParams } from './problems.ts';

type Bare<C extends ProblemCode> = [keyof ProblemParams<C>] extends [never] ? true : false;

type Options<C extends ProblemCode> = { errors?: FieldError[] | undefined } & (Bare<C> extends true
  ? { params?: undefined }
  : { params: ProblemParams<C> });
type OptionsArg<C extends ProblemCode> = Bare<C> extends true ? [options?: Options<C>] : [options: Options<C>];

/**
 * An error the API answers with: built from a code of the problems table, which gives its
 * status; a code not in the table does not compile. Pure (no HTTP): services, repositories and
 * the db layer throw it, src/server/errors.ts renders it as problem+json.
 */
export class AppError<C extends ProblemCode = ProblemCode> extends Error {
  readonly status: number;
  readonly code: C;
  readonly errors: FieldError[] | undefined;
  readonly params: ProblemParams<C> | undefined;

  constructor(code: C, message: string, ...[options]: OptionsArg<C>) {
    super(message);
    this.code = code;
    this.status = PROBLEM_STATUS[code];
    this.errors = options?.errors;
    this.params = options?.params as ProblemParams<C> | undefined;
  }
}

/** One field error: the path, what is wrong with it (code and params) and an English line for integrations. */
export const fieldError = (field: string, issue: FieldIssue, message: string): FieldError =>
  ({ field, ...issue, message }) as FieldError;

/** A bad value in one field: 400 (or the given code) naming it. */
export const invalid = (field: string, issue: FieldIssue, message: string, code: ProblemCode = 'validation_failed') =>
  new AppError(code as 'validation_failed', `${field}: ${message}`, { errors: [fieldError(field, issue, message)] });
export const unauthenticated = (message = 'Sign in to continue') => new AppError('unauthenticated', message);
export const forbidden = (message = 'You do not have permission for this action') => new AppError('forbidden', message);
export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
/** A conflict with the state of things; `field` names the input it concerns. */
export const conflict = (code: ProblemCode, message: string, field?: string) =>
  new AppError(
    code as 'duplicate_name',
    message,
    field ? { errors: [fieldError(field, { code: 'conflict' }, message)] } : undefined,
  );
export const staleVersion = (what: string, current: number) =>
  new AppError('version_conflict', `${what} was changed by someone else; reload and try again`, {
    errors: [
      fieldError(
        'version',
        { code: 'stale_version', params: { currentVersion: current } },
        `stale version; current version is ${current}`,
      ),
    ],
    params: { currentVersion: current },
  });
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError('rate_limited', message, { params: { retryAfterSeconds } });
