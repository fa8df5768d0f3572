import { useCallback } from 'react';
import { App, type FormInstance } from 'antd';
import { isApiError, type ApiError } from './client.ts';
import { applyProblemToForm, fieldMessage, problemMessage } from './problems.ts';
import { useI18n } from '../i18n/useI18n.ts';

/**
 * Reports a failed mutation: field errors beside their inputs, everything else as a
 * toast. 401 is left to the global handler, which returns to the sign-in page.
 */
export function useProblem() {
  const { message } = App.useApp();
  const say = useI18n();
  return useCallback(
    (error: unknown, form?: FormInstance) => {
      if (isApiError(error) && error.status === 401) return;
      if (form && applyProblemToForm(form, error, say)) return;
      const text = problemMessage(error, say);
      if (isApiError(error) && error.code === 'version_conflict') message.warning(text, 6);
      else message.error(text, 6);
    },
    [message, say],
  );
}

/** The sentence for one field error of a failed request, in the user's language (never the server's English). */
export function useFieldMessage() {
  const say = useI18n();
  return useCallback((error: ApiError, e: ApiError['errors'][number]) => fieldMessage(error, e, say), [say]);
}
