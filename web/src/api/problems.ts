import type { FormInstance } from 'antd';
import { isApiError } from './client.ts';
import type { Translate } from '../i18n/I18nProvider.tsx';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { zhCN } from '../i18n/zh-CN.ts';

/** The server's messages are English; the common validation ones get a translation. */
function translateFieldMessage(message: string, t: Translate): string {
  if (/^(is required|must not be empty)$/.test(message)) return t('validation.required');
  if (/valid email/.test(message)) return t('validation.email');
  const min = /^must be at least (\d+) characters$/.exec(message);
  if (min) return t('validation.minLength', { n: min[1] ?? '' });
  if (/must differ from the current password/.test(message)) return t('validation.passwordSame');
  const max = /^must be at most (\d+) characters$/.exec(message);
  if (max) return t('validation.maxLength', { n: max[1] ?? '' });
  return message;
}

/** One sentence for a failed request, in the user's language when we know the code. */
export function problemMessage(error: unknown, t: Translate): string {
  if (!isApiError(error)) return t('error.unexpected');
  if (error.code === 'network') return t('error.network');
  const key = `error.${error.code}`;
  // Problems that carry a number the sentence needs (rate_limited: how long to wait).
  const wait = Number(error.problem.retryAfterSeconds);
  if (error.code === 'rate_limited' && wait > 0) return t('error.rate_limitedFor', { minutes: Math.ceil(wait / 60) });
  if (key in zhCN) return t(key as MessageKey);
  if (error.status === 403) return t('error.forbidden');
  if (error.status >= 500) return t('error.unexpected');
  return error.message || t('error.unexpected');
}

/**
 * Puts the problem's field errors beside the matching inputs. Returns true when every
 * error found a field, so the caller need not also show a message.
 */
export function applyProblemToForm(form: FormInstance, error: unknown, t: Translate): boolean {
  if (!isApiError(error) || error.errors.length === 0) return false;
  const known = new Set(Object.keys(form.getFieldsValue() as object));
  const fields = error.errors.filter((e) => known.has(e.field));
  if (fields.length === 0) return false;
  // A conflict code (duplicate name, cycle…) reads better than the raw message.
  const codeKey = `error.${error.code}`;
  const codeText = codeKey in zhCN ? t(codeKey as MessageKey) : null;
  form.setFields(fields.map((e) => ({ name: e.field, errors: [codeText ?? translateFieldMessage(e.message, t)] })));
  return fields.length === error.errors.length;
}
