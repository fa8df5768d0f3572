import { useCallback } from 'react';
import { App, type FormInstance } from 'antd';
import { isApiError } from './client.ts';
import { applyProblemToForm, problemMessage } from './problems.ts';
import { useT } from '../i18n/useI18n.ts';

/**
 * Reports a failed mutation: field errors beside their inputs, everything else as a
 * toast. 401 is left to the global handler, which returns to the sign-in page.
 */
export function useProblem() {
  const { message } = App.useApp();
  const t = useT();
  return useCallback(
    (error: unknown, form?: FormInstance) => {
      if (isApiError(error) && error.status === 401) return;
      if (form && applyProblemToForm(form, error, t)) return;
      const text = problemMessage(error, t);
      if (isApiError(error) && error.code === 'version_conflict') message.warning(text, 6);
      else message.error(text, 6);
    },
    [message, t],
  );
}
