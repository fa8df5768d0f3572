import type {
  FieldError,
  FieldErrorCode,
  FieldErrorParamsTable,
  ProblemCode,
  ProblemParams,
} from '../../../src/contracts/problems.ts';
import { FIELD_ERROR_CODES, PROBLEM_STATUS } from '../../../src/contracts/problems.ts';
import type { Locale } from '../../../src/domain/roles.ts';
import { problemsZhCN } from './problems.zh-CN.ts';
import { problemsEnUS } from './problems.en-US.ts';

/**
 * The sentences of the problems table (src/contracts/problems.ts), one per problem code and per
 * field-error code, in each language. A Record over every code: a code added to the table
 * without its sentences here fails the typecheck. The server's English `message` is never shown.
 */
export interface ProblemMessages {
  problems: { [C in ProblemCode]: (params: ProblemParams<C>) => string };
  fields: { [C in FieldErrorCode]: (params: FieldErrorParamsTable[C]) => string };
}

const MESSAGES: Record<Locale, ProblemMessages> = { 'zh-CN': problemsZhCN, 'en-US': problemsEnUS };

export const isProblemCode = (code: string): code is ProblemCode => Object.hasOwn(PROBLEM_STATUS, code);
const isFieldErrorCode = (code: string): code is FieldErrorCode =>
  (FIELD_ERROR_CODES as readonly string[]).includes(code);

/** The sentence of a problem by its code, with the params the problem document carries; null for a code the table does not know. */
export function problemText(locale: Locale, code: string, problem: Record<string, unknown>): string | null {
  if (!isProblemCode(code)) return null;
  const render = MESSAGES[locale].problems[code] as (params: Record<string, unknown>) => string;
  return render(problem);
}

/** The sentence for one field error, by its code and params; null for a code the table does not know. */
export function fieldErrorText(
  locale: Locale,
  fieldError: Pick<FieldError, 'code'> & { params?: unknown },
): string | null {
  if (!isFieldErrorCode(fieldError.code)) return null;
  const render = MESSAGES[locale].fields[fieldError.code] as (params: Record<string, unknown>) => string;
  return render((fieldError.params ?? {}) as Record<string, unknown>);
}
