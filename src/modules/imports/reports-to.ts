import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  resolveReportsTo,
  type ContactRef,
  type FileContact,
  type ReportsToLink,
} from '../../domain/import-reports-to.ts';
import type { RowProblem } from '../../domain/import-validate.ts';
import * as records from './repository/records.ts';
import * as repo from './repository/jobs.ts';

/**
 * The contacts import's "reports to" column against the database (rules in
 * src/domain/import-reports-to.ts): after the dry run has seen every row, and again when
 * the commit has created the new contacts.
 */

/**
 * Resolves the reports-to cells of the rows that create or update a contact; rows refused
 * here turn into errors in the stored report and in `counts`. Answers the reporting lines to
 * write at commit.
 */
export async function checkReportsTo(
  db: Kysely<Database>,
  workspaceId: number,
  jobId: number,
  rows: FileContact[],
  counts: { create: number; update: number; error: number },
): Promise<ReportsToLink[]> {
  const accountIds = [...new Set(rows.filter((r) => r.reportsTo).map((r) => r.accountId))];
  if (accountIds.length === 0) return [];
  const known = (await records.contactLines(db, workspaceId, accountIds)).map((contact) => ({
    id: contact.id,
    accountId: contact.account_id,
    name: contact.name,
    mobile: contact.mobile,
    email: contact.email,
    reportsToId: contact.reports_to_id,
    archived: contact.archived_at !== null,
  }));
  const { problems, links } = resolveReportsTo(known, rows);
  if (problems.size > 0) await markErrors(db, workspaceId, jobId, problems, counts);
  return links;
}

async function markErrors(
  db: Kysely<Database>,
  workspaceId: number,
  jobId: number,
  problems: Map<number, RowProblem>,
  counts: { create: number; update: number; error: number },
) {
  const stored = await repo.rowsByNo(db, workspaceId, jobId, [...problems.keys()]);
  for (const storedRow of stored) {
    if (storedRow.outcome === 'create' || storedRow.outcome === 'update') counts[storedRow.outcome]--;
    counts.error++;
  }
  await repo.saveOutcomes(
    db,
    workspaceId,
    jobId,
    stored.map((storedItem) => ({
      rowNo: storedItem.row_no,
      data: storedItem.data,
      outcome: 'error',
      problems: JSON.stringify([problems.get(storedItem.row_no)!]),
      targetId: storedItem.target_id,
    })),
  );
}

/** Writes the reporting lines once every new contact has its id (`created`: row number → id). */
export async function writeReportsTo(
  trx: Kysely<Database>,
  workspaceId: number,
  links: ReportsToLink[],
  created: ReadonlyMap<number, number>,
) {
  const idOf = (ref: ContactRef) => ('contactId' in ref ? ref.contactId : created.get(ref.rowNo));
  const byManager = new Map<number, number[]>();
  for (const link of links) {
    const [contact, manager] = [idOf(link.contact), idOf(link.manager)];
    // Both were checked at the dry run and the commit is all or nothing: a gap is a bug.
    if (contact === undefined || manager === undefined)
      throw new Error(`row ${link.rowNo}: the contact it reports to was not written`);
    const list = byManager.get(manager);
    if (list) list.push(contact);
    else byManager.set(manager, [contact]);
  }
  for (const [manager, contacts] of byManager) await records.setReportsTo(trx, workspaceId, manager, contacts);
}
