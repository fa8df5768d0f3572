import type { FormInstance } from 'antd';
import { isApiError, type ApiError } from './client.ts';
import type { I18n } from '../i18n/I18nProvider.tsx';
import { fieldErrorText, problemText } from '../i18n/problem-messages.ts';

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
 * The form field a field error names: its path (`plan.fab.0.benefit` → ['plan', 'fab', 0,
 * 'benefit']) when the form holds it, else the nearest field above it that holds a plain value
 * (`plan.spin.situation.1` → the one text area the questions are typed in); null when none does.
 */
export function formPathOf(values: unknown, field: string): (string | number)[] | null {
  const path: (string | number)[] = [];
  let node = values;
  for (const part of field.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) break;
    path.push(/^\d+$/.test(part) ? Number(part) : part);
    node = (node as Record<string, unknown>)[part];
  }
  if (path.length === 0) return null;
  const whole = path.length === field.split('.').length;
  return whole || node === null || typeof node !== 'object' ? path : null;
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
