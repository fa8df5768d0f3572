import type { FormInstance } from 'antd';
import { isApiError, type ApiError } from './client.ts';
import type { I18n } from '../i18n/I18nProvider.tsx';
import { fieldErrorText, problemText } from '../i18n/problem-messages.ts';
import { formPathOf } from './form-paths.ts';

type Say = Pick<I18n, 't' | 'locale'>;

/** One sentence for a failed request, in the user's language, from its code (src/contracts/problems.ts). */
export function problemMessage(error: unknown, { t: translate, locale }: Say): string {
  if (!isApiError(error)) return translate('error.unexpected');
  if (error.code === 'network') return translate('error.network');
  const text = problemText(locale, error.code, error.problem);
  if (text) return text;
  if (error.status === 403) return translate('error.forbidden');
  return translate('error.unexpected');
}

/**
 * The sentence for one field error: its own code and params, or — for a field that takes part
 * in the problem of the whole answer ('conflict': a duplicate name, a stale version) — that problem's.
 */
export function fieldMessage(error: ApiError, fieldError: ApiError['errors'][number], say: Say): string {
  if (fieldError.code === 'conflict') return problemMessage(error, say);
  return fieldErrorText(say.locale, fieldError) ?? problemMessage(error, say);
}

/**
 * Puts the problem's field errors beside the matching inputs, nested ones too. Returns true
 * when every error found a field, so the caller need not also show a message.
 */
export function applyProblemToForm(form: FormInstance, error: unknown, say: Say): boolean {
  if (!isApiError(error) || error.errors.length === 0) return false;
  const values: unknown = form.getFieldsValue();
  const placed = error.errors.flatMap((fieldError) => {
    const name = formPathOf(values, fieldError.field);
    return name ? [{ name, errors: [fieldMessage(error, fieldError, say)] }] : [];
  });
  if (placed.length === 0) return false;
  form.setFields(placed);
  return placed.length === error.errors.length;
}
