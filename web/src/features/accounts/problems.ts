import { useCallback } from 'react';
import { App, type FormInstance } from 'antd';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';

/** Error codes of the customer-archive API that get their own sentence in this area's dictionary. */
const CODES = [
  'possible_duplicate', 'duplicate_credit_code', 'invalid_credit_code', 'territory_conflict', 'reporting_cycle', 'duplicate_role', 'not_key_account', 'duplicate_name',
] as const;
type Code = (typeof CODES)[number];
const isOurCode = (c: string): c is Code => (CODES as readonly string[]).includes(c);

/**
 * Like useProblem, but knows this area's codes: the sentence goes beside the field the server
 * named (credit code, reports-to, owner…), or into a toast when the form has no such field.
 * A 404 from an endpoint still being built reads as "not available yet" rather than "deleted".
 */
export function useAccountProblem() {
  const report = useProblem();
  const t = useT();
  const { message } = App.useApp();
  return useCallback(
    (error: unknown, form?: FormInstance) => {
      if (isApiError(error) && isOurCode(error.code)) {
        const text = t(`accounts.error.${error.code}`);
        const known = form ? new Set(Object.keys(form.getFieldsValue() as object)) : new Set<string>();
        const fields = error.errors.filter((e) => known.has(e.field));
        if (form && fields.length) form.setFields(fields.map((e) => ({ name: e.field, errors: [text] })));
        else message.error(text, 6);
        return;
      }
      report(error, form);
    },
    [report, t, message],
  );
}
