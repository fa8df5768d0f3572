import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ColumnMapping } from '../../domain/import-fields.ts';
import type { FileContact } from '../../domain/import-reports-to.ts';
import { validateContactRow, type ContactValues, type DuplicateMode } from '../../domain/import-validate.ts';
import type { Actor } from '../../domain/policy.ts';
import type { Checked, Raw } from './checked-row.ts';
import * as records from './repository/records.ts';
import { resolveAccounts } from './resolve-account.ts';

/**
 * The dry run's check of a chunk of contact rows: values, the account each belongs to (one the
 * importer may add contacts to), the same contact twice in the file or already on the account;
 * what a created or updated contact's reports-to check needs rides along.
 */
export async function checkContacts(
  db: Kysely<Database>,
  actor: Actor,
  rows: Raw[],
  mapping: ColumnMapping,
  mode: DuplicateMode,
  seen: Map<string, number>,
): Promise<Checked[]> {
  const parsed = rows.map((r) => ({ r, ...validateContactRow(JSON.parse(r.data) as string[], mapping) }));
  const resolved = await resolveAccounts(db, actor, parsed, 'you cannot add contacts to this account');
  const existing = await records.contactsOfAccounts(db, actor.workspaceId, [
    ...new Set(resolved.flatMap((x) => (x.accountId ? [x.accountId] : []))),
  ]);
  const same = (value: ContactValues, count: { name: string; mobile: string | null }) =>
    count.name.trim().toLowerCase() === value.name.toLowerCase() &&
    (!value.mobile || !count.mobile || count.mobile === value.mobile);
  return resolved.map(({ r: row, v: values, problems, accountId }): Checked => {
    const base = { rowNo: row.row_no, data: row.data, targetId: null, duplicate: false };
    if (!values || accountId === null) return { ...base, outcome: 'error', problems };
    const key = `${accountId}|${values.name.toLowerCase()}|${values.mobile ?? ''}`;
    const prev = seen.get(key);
    // Skipped with the duplicates skipped; where they update, an error (the file names one contact twice).
    if (prev !== undefined && mode !== 'create')
      return {
        ...base,
        duplicate: true,
        outcome: mode === 'skip' ? 'skip' : 'error',
        problems: [
          { field: 'name', code: 'duplicate_in_file', message: `same contact as row ${prev}`, params: { row: prev } },
        ],
      };
    if (prev === undefined) seen.set(key, row.row_no);
    const matches = existing.filter((c) => c.account_id === accountId && same(values, c));
    const contact = (contactId: number | null): FileContact => ({
      rowNo: row.row_no,
      accountId,
      contactId,
      name: values.name,
      mobile: values.mobile,
      email: values.email,
      reportsTo: values.reportsTo,
    });
    if (matches.length === 0 || mode === 'create')
      return {
        ...base,
        duplicate: matches.length > 0,
        outcome: 'create',
        targetId: accountId,
        problems:
          matches.length > 0
            ? [{ field: 'name', code: 'duplicate_existing', message: 'this contact exists; creating another as asked' }]
            : [],
        contact: contact(null),
      };
    if (mode === 'skip')
      return {
        ...base,
        duplicate: true,
        outcome: 'skip',
        targetId: matches[0]!.id,
        problems: [
          { field: 'name', code: 'duplicate_existing', message: 'this contact already exists on the account' },
        ],
      };
    if (matches.length > 1)
      return {
        ...base,
        duplicate: true,
        outcome: 'error',
        problems: [
          {
            field: 'name',
            code: 'ambiguous',
            message: `${matches.length} contacts of the account have this name; add the mobile column`,
            params: { count: matches.length },
          },
        ],
      };
    return {
      ...base,
      duplicate: true,
      outcome: 'update',
      targetId: matches[0]!.id,
      problems: [{ field: 'name', code: 'duplicate_existing', message: 'updates the existing contact' }],
      contact: contact(matches[0]!.id),
    };
  });
}
