import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { RowProblem } from '../../domain/import-validate.ts';
import { canEditAccount, type Actor } from '../../domain/policy.ts';
import * as records from './repository/records.ts';

/** What a row names its account by (contacts and purchases). */
interface NamesAccount {
  accountName: string | null;
  accountNameKey: string | null;
  accountCreditCode: string | null;
}

/**
 * The account each row belongs to (docs/archive.md § Import and export): by credit code, else by
 * name (an exact name beats one with the same key), among the accounts the importer can see and
 * edit; a row naming none, several or one they cannot edit gets the problem instead.
 */
export async function resolveAccounts<V extends NamesAccount>(
  db: Kysely<Database>,
  actor: Actor,
  parsed: { r: { row_no: number; data: string }; values: V | null; problems: RowProblem[] }[],
  notEditable: string,
): Promise<{ r: { row_no: number; data: string }; v: V | null; problems: RowProblem[]; accountId: number | null }[]> {
  const codes = [...new Set(parsed.flatMap((p) => (p.values?.accountCreditCode ? [p.values.accountCreditCode] : [])))];
  const keys = [...new Set(parsed.flatMap((p) => (p.values?.accountNameKey ? [p.values.accountNameKey] : [])))];
  const { byCode, byKey } = await records.accountsMatching(db, actor.workspaceId, codes, keys);
  const facts = new Map(
    (await records.visibleFacts(db, actor, [...new Set([...byCode, ...byKey].map((a) => a.id))])).map((f) => [f.id, f]),
  );
  const codeMap = new Map(
    byCode.filter((a) => facts.has(a.id) && a.archived_at === null).map((a) => [a.credit_code!, a.id]),
  );
  return parsed.map(({ r: row, values: values, problems }) => {
    if (!values) return { r: row, v: values, problems, accountId: null as number | null };
    const field = values.accountCreditCode ? 'accountCreditCode' : 'accountName';
    let accountId: number | null = null;
    if (values.accountCreditCode) accountId = codeMap.get(values.accountCreditCode) ?? null;
    else {
      const candidates = byKey.filter((a) => a.name_key === values.accountNameKey && facts.has(a.id));
      // An exact name beats a same-key one ("华为" vs "华为技术有限公司").
      const exact = candidates.filter((a) => a.name === values.accountName);
      const pick = exact.length === 1 ? exact : candidates;
      if (pick.length > 1)
        return {
          r: row,
          v: null,
          problems: [
            {
              field,
              code: 'ambiguous',
              message: `${pick.length} accounts have this name; use the credit code column`,
              params: { count: pick.length },
            },
          ],
          accountId: null,
        };
      accountId = pick[0]?.id ?? null;
    }
    if (accountId === null)
      return {
        r: row,
        v: null,
        problems: [
          {
            field,
            code: 'account_not_found',
            message: 'no account you can see has this ' + (field === 'accountName' ? 'name' : 'credit code'),
            params: { value: (field === 'accountName' ? values.accountName : values.accountCreditCode) ?? '' },
          },
        ],
        accountId: null,
      };
    const fact = facts.get(accountId)!;
    if (
      !canEditAccount(actor, {
        ownerId: fact.owner_id,
        unitPath: fact.unit_path,
        inPool: fact.in_pool === 1,
        onTeam: Boolean(fact.on_team),
      })
    ) {
      return {
        r: row,
        v: null,
        problems: [{ field, code: 'not_editable', message: notEditable }],
        accountId: null,
      };
    }
    return { r: row, v: values, problems, accountId };
  });
}
