import type { IsoDate } from './calendar.ts';
import type { ColumnMapping, ImportField } from './import-fields.ts';
import { parseAmountCell } from './import-amounts.ts';
import { normaliseCreditCodeCell, parseDateCell, type RowProblem } from './import-validate.ts';

/**
 * The checks every kind of imported row repeats (purchases and opportunities alike): reading a mapped
 * cell within its length, the account the row names, a required date and a required amount. Each
 * check adds its problems to the row's list, in the order the caller asks, so a row's report reads
 * field by field as before.
 */
export function rowChecks<F extends ImportField>(
  cells: readonly string[],
  mapping: ColumnMapping,
  max: Partial<Record<F, number>>,
  problems: RowProblem[],
) {
  /** A mapped, non-empty cell, trimmed; null (and a too_long problem) past its field's limit. */
  const read = (field: F): string | null => {
    const index = mapping[field];
    if (typeof index !== 'number') return null;
    const trimmed = (cells[index] ?? '').trim();
    if (trimmed === '') return null;
    const limit = max[field];
    if (limit !== undefined && trimmed.length > limit) {
      problems.push({
        field,
        code: 'too_long',
        message: `must be at most ${limit} characters`,
        params: { max: limit },
      });
      return null;
    }
    return trimmed;
  };

  /** A cell that must be there: null and a `required` problem when it is empty. */
  const required = (field: F): string | null => {
    const cell = read(field);
    if (cell === null) problems.push({ field, code: 'required', message: 'is required' });
    return cell;
  };

  return {
    read,
    /** The account the row belongs to, by its name or its credit code (one of them is required). */
    account() {
      const accountName = read('accountName' as F);
      const accountCreditCode = normaliseCreditCodeCell(read('accountCreditCode' as F), 'accountCreditCode', problems);
      if (accountName === null && accountCreditCode === null && !problems.some((p) => p.field.startsWith('account'))) {
        const field = typeof mapping.accountName === 'number' ? 'accountName' : 'accountCreditCode';
        problems.push({ field, code: 'required', message: "the account's name or credit code is required" });
      }
      return { accountName, accountCreditCode };
    },
    /** A required date as people type it (parseDateCell); null when missing or not a date. */
    date(field: F): IsoDate | null {
      const cell = required(field);
      if (cell === null) return null;
      const date = parseDateCell(cell) as IsoDate | null;
      if (date === null)
        problems.push({ field, code: 'invalid_date', message: 'must be a date YYYY-MM-DD', params: { value: cell } });
      return date;
    },
    /**
     * A required amount in yuan (parseAmountCell), in fen; null with an invalid_amount problem saying
     * `message` when it is not a number or `acceptable` refuses it.
     */
    amount(field: F, acceptable: (fen: number) => boolean, message: string): number | null {
      const cell = required(field);
      if (cell === null) return null;
      const fen = parseAmountCell(cell);
      if (fen !== null && acceptable(fen)) return fen;
      problems.push({ field, code: 'invalid_amount', message, params: { value: cell } });
      return null;
    },
  };
}
