import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { IsoDate } from '../../domain/calendar.ts';
import type { ColumnMapping } from '../../domain/import-fields.ts';
import { purchaseKey, validatePurchaseRow } from '../../domain/import-purchases.ts';
import type { DuplicateMode } from '../../domain/import-validate.ts';
import type { Actor } from '../../domain/policy.ts';
import * as records from './repository/records.ts';
import { resolveAccounts } from './resolve-account.ts';
import type { Checked, Raw } from './checked-row.ts';

/**
 * The dry run of a purchase history (docs/archive.md § Import and export): each row's account
 * (one the importer may edit), date and amount; a row repeating an earlier row of the file or a
 * purchase already recorded (same account, day, amount and product) is a duplicate — skipped,
 * or created anyway in "create" mode ("update" has nothing to update and skips too).
 */
export async function checkPurchases(
  db: Kysely<Database>,
  actor: Actor,
  rows: Raw[],
  mapping: ColumnMapping,
  mode: DuplicateMode,
  seen: Map<string, number>,
  today: IsoDate,
): Promise<Checked[]> {
  const parsed = rows.map((row) => ({
    r: row,
    ...validatePurchaseRow(JSON.parse(row.data) as string[], mapping, today),
  }));
  const resolved = await resolveAccounts(db, actor, parsed, 'you cannot add purchases to this account');
  const recorded = new Set(
    (
      await records.purchasesOfAccounts(db, actor.workspaceId, [
        ...new Set(resolved.flatMap((item) => (item.accountId ? [item.accountId] : []))),
      ])
    ).map((purchase) =>
      purchaseKey(purchase.account_id, {
        purchasedOn: purchase.purchased_on,
        amount: purchase.amount,
        product: purchase.product,
      }),
    ),
  );
  return resolved.map(({ r: row, v: values, problems, accountId }): Checked => {
    const base = { rowNo: row.row_no, data: row.data, targetId: accountId, duplicate: false };
    if (!values || accountId === null) return { ...base, targetId: null, outcome: 'error', problems };
    const key = purchaseKey(accountId, values);
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, row.row_no);
    const repeat =
      earlier !== undefined
        ? {
            field: 'amount',
            code: 'duplicate_in_file',
            message: `same purchase as row ${earlier}`,
            params: { row: earlier },
          }
        : recorded.has(key)
          ? { field: 'amount', code: 'duplicate_existing', message: 'this purchase is already recorded' }
          : null;
    if (!repeat) return { ...base, outcome: 'create', problems: [] };
    return { ...base, duplicate: true, outcome: mode === 'create' ? 'create' : 'skip', problems: [repeat] };
  });
}
