import { companyNameKey } from './company-name.ts';
import type { IsoDate } from './calendar.ts';
import type { ColumnMapping, PurchaseImportField } from './import-fields.ts';
import type { RowProblem } from './import-validate.ts';
import { rowChecks } from './import-row-checks.ts';

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

const MAX: Partial<Record<PurchaseImportField, number>> = { accountName: 200, product: 200, notes: 5000 };

export function validatePurchaseRow(
  cells: readonly string[],
  mapping: ColumnMapping,
  today: IsoDate,
): { values: PurchaseValues | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const check = rowChecks<PurchaseImportField>(cells, mapping, MAX, problems);
  const { accountName, accountCreditCode } = check.account();
  let purchasedOn = check.date('purchasedOn');
  if (purchasedOn !== null && purchasedOn > today) {
    problems.push({
      field: 'purchasedOn',
      code: 'future_date',
      message: 'a purchase that happened cannot be dated after today',
      params: { value: purchasedOn },
    });
    purchasedOn = null;
  }
  const amount = check.amount(
    'amount',
    (fen) => fen > 0 && fen <= MAX_PURCHASE_FEN,
    'must be an amount in yuan above 0 with at most two decimals (¥10 billion at most)',
  );
  const product = check.read('product');
  const notes = check.read('notes');
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
