import type { RowProblem } from './import-validate.ts';

/**
 * The "reports to" column of the contacts import (contacts.reports_to_id, the customer's org
 * chart of docs/archive.md § Buying roles). It is resolved once every row of the file is known, because a manager
 * may come after the people who report to them.
 *
 * The cell names another contact of the same account by name, as written in the Name column
 * (case ignored) — the key people actually write, and the one the import itself matches
 * contacts by. Where two contacts of the account share that name, the cell may give that
 * contact's mobile or e-mail instead. Candidates are the account's live contacts in Keyline
 * and the rows of the file that create one.
 *
 * A row is refused when its cell names no contact, names several, names a new contact whose
 * own row is refused, or would close a loop (A reports to B reports to A) in the org chart as
 * it stands after the import. Refusing a row drops its contact or its line, which can strand
 * another row or close a loop through an existing line, so the check repeats until stable.
 */

/** A contact already in Keyline, of an account the file adds reporting lines to. */
export interface KnownContact {
  id: number;
  accountId: number;
  name: string;
  mobile: string | null;
  email: string | null;
  reportsToId: number | null;
  archived: boolean;
}

/** A row of the file that will create a contact (contactId null) or update one. */
export interface FileContact {
  rowNo: number;
  accountId: number;
  contactId: number | null;
  name: string;
  mobile: string | null;
  email: string | null;
  reportsTo: string | null;
}

/** A contact in Keyline, or the one a row of the file creates. */
export type ContactRef = { contactId: number } | { rowNo: number };
export interface ReportsToLink {
  rowNo: number;
  contact: ContactRef;
  manager: ContactRef;
}

const digitsOf = (v: string) => v.replace(/[\s-]/g, '');

/** What a reports-to cell looks a contact up by: an e-mail, a phone number, else a name. */
export function reportsToKey(value: string): string {
  const trimmed = value.trim();
  if (trimmed.includes('@')) return `email:${trimmed.toLowerCase()}`;
  if (/^\+?\d{7,}$/.test(digitsOf(trimmed))) return `mobile:${digitsOf(trimmed)}`;
  return `name:${trimmed.toLowerCase()}`;
}

function keysOf(contact: { name: string; mobile: string | null; email: string | null }): string[] {
  const keys = [`name:${contact.name.trim().toLowerCase()}`];
  if (contact.mobile) keys.push(`mobile:${digitsOf(contact.mobile)}`);
  if (contact.email) keys.push(`email:${contact.email.trim().toLowerCase()}`);
  return keys;
}

const problem = (code: string, message: string, params: Record<string, string | number>): RowProblem => ({
  field: 'reportsTo',
  code,
  message,
  params,
});

/** Problems by row number, and the reporting lines of the rows without one. */
export function resolveReportsTo(
  known: readonly KnownContact[],
  rows: readonly FileContact[],
): { problems: Map<number, RowProblem>; links: ReportsToLink[] } {
  const problems = new Map<number, RowProblem>();
  const links: ReportsToLink[] = [];
  const accounts = new Set(rows.filter((r) => r.reportsTo).map((r) => r.accountId));
  const knownOf = groupBy(
    known.filter((c) => accounts.has(c.accountId)),
    (c) => c.accountId,
  );
  const rowsOf = groupBy(
    rows.filter((r) => accounts.has(r.accountId)),
    (r) => r.accountId,
  );
  for (const accountId of accounts)
    resolveAccount(knownOf.get(accountId) ?? [], rowsOf.get(accountId) ?? [], problems, links);
  return { problems, links };
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const list = out.get(key(item));
    if (list) list.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}

const nodeOf = (r: FileContact) => (r.contactId !== null ? `c${r.contactId}` : `r${r.rowNo}`);
const refOf = (node: string): ContactRef =>
  node.startsWith('c') ? { contactId: Number(node.slice(1)) } : { rowNo: Number(node.slice(1)) };

/** Whether walking up from `start` reaches `node`: giving `node` that manager closes a loop. */
function closesLoop(node: string, start: string, managerOf: ReadonlyMap<string, string>): boolean {
  const seen = new Set<string>();
  for (let cur: string | undefined = start; cur !== undefined && !seen.has(cur); cur = managerOf.get(cur)) {
    if (cur === node) return true;
    seen.add(cur);
  }
  return false;
}

function resolveAccount(
  known: KnownContact[],
  rows: FileContact[],
  problems: Map<number, RowProblem>,
  links: ReportsToLink[],
) {
  for (;;) {
    const live = rows.filter((r) => !problems.has(r.rowNo));
    const index = new Map<string, Set<string>>();
    const add = (node: string, contact: { name: string; mobile: string | null; email: string | null }) => {
      for (const key of keysOf(contact)) index.set(key, (index.get(key) ?? new Set()).add(node));
    };
    for (const knownContact of known) if (!knownContact.archived) add(`c${knownContact.id}`, knownContact);
    for (const liveRow of live) if (liveRow.contactId === null) add(nodeOf(liveRow), liveRow);
    // New contacts whose rows are refused: naming one gets a better answer than "no such contact".
    const refused = new Map<string, number>();
    for (const row of rows)
      if (problems.has(row.rowNo) && row.contactId === null)
        for (const key of keysOf(row)) if (!refused.has(key)) refused.set(key, row.rowNo);

    const managerOf = new Map<string, string>();
    for (const knownContact of known)
      if (knownContact.reportsToId !== null) managerOf.set(`c${knownContact.id}`, `c${knownContact.reportsToId}`);
    const found: { r: FileContact; manager: string }[] = [];
    const fresh = new Map<number, RowProblem>();
    for (const liveRow of live) {
      if (!liveRow.reportsTo) continue;
      const key = reportsToKey(liveRow.reportsTo);
      const nodes = [...(index.get(key) ?? [])];
      if (nodes.length > 1)
        fresh.set(
          liveRow.rowNo,
          problem(
            'ambiguous_contact',
            `${nodes.length} contacts of the account match "${liveRow.reportsTo}"; give that contact's mobile or e-mail instead`,
            { name: liveRow.reportsTo, count: nodes.length },
          ),
        );
      else if (nodes.length === 0) {
        const row = refused.get(key);
        fresh.set(
          liveRow.rowNo,
          row !== undefined
            ? problem(
                'manager_row_error',
                `"${liveRow.reportsTo}" is the contact of row ${row}, which is not imported`,
                { name: liveRow.reportsTo, row },
              )
            : problem(
                'unknown_contact',
                `no contact "${liveRow.reportsTo}" on this account, in Keyline or in the file`,
                { name: liveRow.reportsTo },
              ),
        );
      } else {
        managerOf.set(nodeOf(liveRow), nodes[0]!);
        found.push({ r: liveRow, manager: nodes[0]! });
      }
    }
    for (const { r: fileContact, manager } of found) {
      if (closesLoop(nodeOf(fileContact), manager, managerOf))
        fresh.set(
          fileContact.rowNo,
          problem(
            'reporting_cycle',
            `reporting to "${fileContact.reportsTo}" would make the reporting lines circular`,
            { name: fileContact.reportsTo ?? '' },
          ),
        );
    }
    if (fresh.size === 0) {
      for (const { r: fileContact, manager } of found)
        links.push({ rowNo: fileContact.rowNo, contact: refOf(nodeOf(fileContact)), manager: refOf(manager) });
      return;
    }
    for (const [rowNo, problem] of fresh) problems.set(rowNo, problem);
  }
}
