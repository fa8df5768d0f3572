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
  const v = value.trim();
  if (v.includes('@')) return `email:${v.toLowerCase()}`;
  if (/^\+?\d{7,}$/.test(digitsOf(v))) return `mobile:${digitsOf(v)}`;
  return `name:${v.toLowerCase()}`;
}

function keysOf(c: { name: string; mobile: string | null; email: string | null }): string[] {
  const keys = [`name:${c.name.trim().toLowerCase()}`];
  if (c.mobile) keys.push(`mobile:${digitsOf(c.mobile)}`);
  if (c.email) keys.push(`email:${c.email.trim().toLowerCase()}`);
  return keys;
}

const problem = (code: string, message: string, params: Record<string, string | number>): RowProblem => ({ field: 'reportsTo', code, message, params });

/** Problems by row number, and the reporting lines of the rows without one. */
export function resolveReportsTo(known: readonly KnownContact[], rows: readonly FileContact[]): { problems: Map<number, RowProblem>; links: ReportsToLink[] } {
  const problems = new Map<number, RowProblem>();
  const links: ReportsToLink[] = [];
  const accounts = new Set(rows.filter((r) => r.reportsTo).map((r) => r.accountId));
  const knownOf = groupBy(known.filter((c) => accounts.has(c.accountId)), (c) => c.accountId);
  const rowsOf = groupBy(rows.filter((r) => accounts.has(r.accountId)), (r) => r.accountId);
  for (const accountId of accounts) resolveAccount(knownOf.get(accountId) ?? [], rowsOf.get(accountId) ?? [], problems, links);
  return { problems, links };
}

function groupBy<T>(items: readonly T[], key: (t: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const t of items) {
    const list = out.get(key(t));
    if (list) list.push(t);
    else out.set(key(t), [t]);
  }
  return out;
}

const nodeOf = (r: FileContact) => (r.contactId !== null ? `c${r.contactId}` : `r${r.rowNo}`);
const refOf = (node: string): ContactRef => (node.startsWith('c') ? { contactId: Number(node.slice(1)) } : { rowNo: Number(node.slice(1)) });

/** Whether walking up from `start` reaches `node`: giving `node` that manager closes a loop. */
function closesLoop(node: string, start: string, managerOf: ReadonlyMap<string, string>): boolean {
  const seen = new Set<string>();
  for (let cur: string | undefined = start; cur !== undefined && !seen.has(cur); cur = managerOf.get(cur)) {
    if (cur === node) return true;
    seen.add(cur);
  }
  return false;
}

function resolveAccount(known: KnownContact[], rows: FileContact[], problems: Map<number, RowProblem>, links: ReportsToLink[]) {
  for (;;) {
    const live = rows.filter((r) => !problems.has(r.rowNo));
    const index = new Map<string, Set<string>>();
    const add = (node: string, c: { name: string; mobile: string | null; email: string | null }) => {
      for (const k of keysOf(c)) index.set(k, (index.get(k) ?? new Set()).add(node));
    };
    for (const c of known) if (!c.archived) add(`c${c.id}`, c);
    for (const r of live) if (r.contactId === null) add(nodeOf(r), r);
    // New contacts whose rows are refused: naming one gets a better answer than "no such contact".
    const refused = new Map<string, number>();
    for (const r of rows) if (problems.has(r.rowNo) && r.contactId === null) for (const k of keysOf(r)) if (!refused.has(k)) refused.set(k, r.rowNo);

    const managerOf = new Map<string, string>();
    for (const c of known) if (c.reportsToId !== null) managerOf.set(`c${c.id}`, `c${c.reportsToId}`);
    const found: { r: FileContact; manager: string }[] = [];
    const fresh = new Map<number, RowProblem>();
    for (const r of live) {
      if (!r.reportsTo) continue;
      const key = reportsToKey(r.reportsTo);
      const nodes = [...(index.get(key) ?? [])];
      if (nodes.length > 1) fresh.set(r.rowNo, problem('ambiguous_contact', `${nodes.length} contacts of the account match "${r.reportsTo}"; give that contact's mobile or e-mail instead`, { name: r.reportsTo, count: nodes.length }));
      else if (nodes.length === 0) {
        const row = refused.get(key);
        fresh.set(r.rowNo, row !== undefined
          ? problem('manager_row_error', `"${r.reportsTo}" is the contact of row ${row}, which is not imported`, { name: r.reportsTo, row })
          : problem('unknown_contact', `no contact "${r.reportsTo}" on this account, in Keyline or in the file`, { name: r.reportsTo }));
      } else {
        managerOf.set(nodeOf(r), nodes[0]!);
        found.push({ r, manager: nodes[0]! });
      }
    }
    for (const { r, manager } of found) {
      if (closesLoop(nodeOf(r), manager, managerOf)) fresh.set(r.rowNo, problem('reporting_cycle', `reporting to "${r.reportsTo}" would make the reporting lines circular`, { name: r.reportsTo ?? '' }));
    }
    if (fresh.size === 0) {
      for (const { r, manager } of found) links.push({ rowNo: r.rowNo, contact: refOf(nodeOf(r)), manager: refOf(manager) });
      return;
    }
    for (const [rowNo, p] of fresh) problems.set(rowNo, p);
  }
}
