import { companyNameKey } from './company-name.ts';
import type { IsoDate } from './calendar.ts';
import type { ColumnMapping, PurchaseImportField } from './import-fields.ts';
import { normaliseCreditCodeCell, parseDateCell, type RowProblem } from './import-validate.ts';

/** One row of an imported purchase history (docs/archive.md § Import and export). */
export interface PurchaseValues {
  accountName: string | null;
  accountNameKey: string | null;
  accountCreditCode: string | null;
  purchasedOn: IsoDate;
  /** Fen. */
  amount: number;
  product: string | null;
  notes: string | null;
}

/** The largest amount one purchase may carry: ¥10 billion, far above any real order, well inside 2^53 fen. */
export const MAX_PURCHASE_FEN = 10_000_000_000_00;

/**
 * An amount in yuan as people type it — 1280000, 1,280,000.00, ¥128万, 128.5 万元 — in fen;
 * null when it is not a number with at most two decimals (of yuan).
 */
export function parseAmountCell(value: string): number | null {
  const text = value
    .normalize('NFKC')
    .replace(/[\s,¥￥]/g, '')
    .replace(/元$/, '')
    .replace(/^RMB/i, '')
    .replace(/^CNY/i, '');
  const match = /^(\d+)(?:\.(\d+))?(万)?$/.exec(text);
  if (!match) return null;
  const [, whole, fraction = '', tenThousands] = match;
  // Fen exactly, in integers: 128.5万 is 1,285,000 yuan, never 1284999.99.
  const scale = tenThousands ? 6 : 2;
  if (fraction.length > scale) return null;
  return Number(whole) * 10 ** scale + Number(fraction.padEnd(scale, '0') || '0');
}

const MAX: Partial<Record<PurchaseImportField, number>> = { accountName: 200, product: 200, notes: 5000 };

export function validatePurchaseRow(
  cells: readonly string[],
  mapping: ColumnMapping,
  today: IsoDate,
): { values: PurchaseValues | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const read = (field: PurchaseImportField): string | null => {
    const index = mapping[field];
    if (typeof index !== 'number') return null;
    const trimmed = (cells[index] ?? '').trim();
    if (trimmed === '') return null;
    const max = MAX[field];
    if (max !== undefined && trimmed.length > max) {
      problems.push({ field, code: 'too_long', message: `must be at most ${max} characters`, params: { max } });
      return null;
    }
    return trimmed;
  };
  const accountName = read('accountName');
  const accountCreditCode = normaliseCreditCodeCell(read('accountCreditCode'), 'accountCreditCode', problems);
  if (accountName === null && accountCreditCode === null && !problems.some((p) => p.field.startsWith('account'))) {
    const field = typeof mapping.accountName === 'number' ? 'accountName' : 'accountCreditCode';
    problems.push({ field, code: 'required', message: "the account's name or credit code is required" });
  }
  const dateCell = read('purchasedOn');
  let purchasedOn: IsoDate | null = null;
  if (dateCell === null) problems.push({ field: 'purchasedOn', code: 'required', message: 'is required' });
  else {
    purchasedOn = parseDateCell(dateCell) as IsoDate | null;
    if (purchasedOn === null)
      problems.push({
        field: 'purchasedOn',
        code: 'invalid_date',
        message: 'must be a date YYYY-MM-DD',
        params: { value: dateCell },
      });
    else if (purchasedOn > today) {
      problems.push({
        field: 'purchasedOn',
        code: 'future_date',
        message: 'a purchase that happened cannot be dated after today',
        params: { value: purchasedOn },
      });
      purchasedOn = null;
    }
  }
  const amountCell = read('amount');
  let amount: number | null = null;
  if (amountCell === null) problems.push({ field: 'amount', code: 'required', message: 'is required' });
  else {
    amount = parseAmountCell(amountCell);
    if (amount === null || amount <= 0 || amount > MAX_PURCHASE_FEN) {
      problems.push({
        field: 'amount',
        code: 'invalid_amount',
        message: 'must be an amount in yuan above 0 with at most two decimals (¥10 billion at most)',
        params: { value: amountCell },
      });
      amount = null;
    }
  }
  const product = read('product');
  const notes = read('notes');
  if (problems.length || purchasedOn === null || amount === null) return { values: null, problems };
  return {
    values: {
      accountName,
      accountNameKey: accountName ? companyNameKey(accountName) : null,
      accountCreditCode,
      purchasedOn,
      amount,
      product,
      notes,
    },
    problems,
  };
}

/** Two rows are the same purchase when account, day, amount and product agree. */
export const purchaseKey = (accountId: number, values: Pick<PurchaseValues, 'purchasedOn' | 'amount' | 'product'>) =>
  `${accountId}|${values.purchasedOn}|${values.amount}|${(values.product ?? '').toLowerCase()}`;
