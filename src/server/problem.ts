import type { FieldError, ProblemCode } from '../contracts/problems.ts';
import { PROBLEM_STATUS } from '../contracts/problems.ts';

/**
 * RFC 9457 problem details. Every error the API returns has this shape; `code` is a code of
 * the problems table (src/contracts/problems.ts), `errors` names the offending fields with a
 * code and params each, so the web app puts a sentence in the user's language beside each input.
 */
export {
  AppError,
  conflict,
  fieldError,
  forbidden,
  invalid,
  notFound,
  staleVersion,
  tooManyRequests,
  unauthenticated,
} from '../contracts/app-error.ts';
export type { FieldError } from '../contracts/problems.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
}

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

/** The body of a problem: its status comes from the table. Params join the body's members. */
export function toProblem(code: ProblemCode, detail: string, errors?: FieldError[], params?: object): Problem {
  const status = PROBLEM_STATUS[code];
  return {
    type: `https://keyline.dev/problems/${code}`,
    title: problemTitle(status),
    status,
    detail,
    code,
    ...(errors && errors.length ? { errors } : {}),
    ...params,
  };
}
