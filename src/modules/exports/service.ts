import { Readable } from 'node:stream';
import type { Db } from '../../db/database.ts';
import { CONTACT_IMPORT_FIELDS } from '../../domain/import-fields.ts';
import { fieldHeader } from '../../domain/import-headers.ts';
import {
  INDUSTRY_LABELS,
  label,
  LEAD_SOURCE_LABELS,
  SIZE_LABELS,
  STATUS_LABELS,
  TIER_LABELS,
} from '../../domain/coded-labels.ts';
import type { Actor } from '../../domain/policy.ts';
import { csvLine, neutraliseCell, UTF8_BOM } from '../../domain/spreadsheet-format.ts';
import type { AccountExportQuery, ContactExportQuery, ExportFormat } from '../../contracts/exports.ts';
import { toFilter } from '../accounts/service.ts';
import { recordAudit } from '../audit/repository.ts';
import { checkSelection } from '../bulk.ts';
import * as repo from './repository.ts';
import { COUNT_CAP } from '../../db/counts.ts';
import { offThread } from '../jobs/off-thread.ts';
import { textInChunks, xlsxStream } from './xlsx.ts';

/**
 * Export of the account and contact lists (docs/archive.md § Import and export): a permission (the 'export' capability,
 * which the routes declare: the session hook refuses and audits every attempt without it),
 * the list's own filters and visibility, readable headers and values in the chosen language,
 * formula-looking cells neutralised, and every export in the audit log with its filter and
 * row count — a departing rep's bulk export must show there (docs/method.md § The four problems).
 * Rows are read page by page and streamed, never held in one array.
 */
export const PAGE = 1000;

export type Cell = string | number | null;

export interface ExportFile {
  fileName: string;
  contentType: string;
  rows: number;
  body: Readable;
}

export type ExportArea = 'accounts' | 'contacts' | 'opportunities';

export function dateIn(timeZone: string) {
  const formatter = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms: number | null) => (ms === null ? '' : formatter.format(new Date(ms)));
}

export const stamp = () => new Date().toISOString().slice(0, 10);

export async function exportAccounts(
  db: Db,
  actor: Actor,
  query: AccountExportQuery,
  ip: string | null,
): Promise<ExportFile> {
  const { format, lang, ids, ...listFilter } = query;
  await selectionInSight(db, actor, 'accounts', ids);
  const filter = await toFilter(db, actor, listFilter);
  const [rows, timeZone] = await Promise.all([
    exportRowCount(db, { area: 'accounts', actor, filter, ids }),
    repo.workspaceTimeZone(db.kysely, actor.workspaceId),
  ]);
  await recordAudit(
    db.kysely,
    {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      action: 'export.accounts',
      ip,
      detail: { filter: listFilter, rows, format, ...(ids ? { ids } : {}) },
    },
    actor.now,
  );
  const zh = lang === 'zh-CN';
  const date = dateIn(timeZone);
  const header = (f: string) => fieldHeader('accounts', f, lang);
  const headers = [
    header('name'),
    header('creditCode'),
    header('industry'),
    header('province'),
    header('city'),
    header('district'),
    header('address'),
    header('size'),
    header('website'),
    header('phone'),
    header('leadSource'),
    header('status'),
    zh ? '负责人' : 'Owner',
    header('ownerEmail'),
    zh ? '所属部门' : 'Unit',
    zh ? '客户分级' : 'Tier',
    zh ? '在公海' : 'In pool',
    zh ? '最近跟进' : 'Last follow-up',
    zh ? '创建日期' : 'Created',
    header('notes'),
  ];
  const toCells = (row: repo.AccountExportRow): Cell[] => [
    row.name,
    row.credit_code,
    label(INDUSTRY_LABELS, row.industry, lang),
    row.province,
    row.city,
    row.district,
    row.address,
    label(SIZE_LABELS, row.size, lang),
    row.website,
    row.phone,
    label(LEAD_SOURCE_LABELS, row.lead_source, lang),
    label(STATUS_LABELS, row.status, lang),
    row.owner_name,
    row.owner_email,
    row.unit_name,
    label(TIER_LABELS, row.tier, lang),
    row.in_pool === 1 ? (zh ? '是' : 'yes') : zh ? '否' : 'no',
    date(row.last_follow_up_at),
    date(row.created_at),
    row.notes,
  ];
  const pages = keysetPages(
    (after) => repo.accountPage(db.kysely, db.engine, actor, filter, after, PAGE, ids),
    toCells,
  );
  return file(`${zh ? '客户' : 'accounts'}-${stamp()}`, format, headers, pages, rows, zh ? '客户' : 'Accounts');
}

export async function exportContacts(
  db: Db,
  actor: Actor,
  query: ContactExportQuery,
  ip: string | null,
): Promise<ExportFile> {
  const { format, lang, ids, ...filter } = query;
  await selectionInSight(db, actor, 'contacts', ids);
  const rows = await exportRowCount(db, { area: 'contacts', actor, filter, ids });
  await recordAudit(
    db.kysely,
    {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      action: 'export.contacts',
      ip,
      detail: { filter, rows, format, ...(ids ? { ids } : {}) },
    },
    actor.now,
  );
  const zh = lang === 'zh-CN';
  // The import's columns, in its order: an exported file imports back unchanged (reports-to included).
  const headers = CONTACT_IMPORT_FIELDS.map((f) => fieldHeader('contacts', f, lang));
  const toCells = (row: repo.ContactExportRow): Cell[] => [
    row.account_name,
    row.account_credit_code,
    row.name,
    row.title,
    row.department,
    row.reports_to_name,
    row.mobile,
    row.phone,
    row.email,
    row.wechat,
    row.birthday,
    row.notes,
  ];
  const pages = keysetPages(
    (after) => repo.contactPage(db.kysely, db.engine, actor, filter, after, PAGE, ids),
    toCells,
  );
  return file(`${zh ? '联系人' : 'contacts'}-${stamp()}`, format, headers, pages, rows, zh ? '联系人' : 'Contacts');
}

/**
 * How many rows an export writes (the audit's figure and the x-export-rows header). Up to the
 * lists' cap it is counted here; past it the exact count reads every row in scope — 4.4 s for a
 * million deals at the scale set, which on the server's SQLite thread stalled every other user —
 * so on a SQLite file it runs in the job worker on its own connection (src/modules/jobs/off-thread.ts).
 */
export async function exportRowCount(db: Db, count: repo.ExportCount, cap: number = COUNT_CAP): Promise<number> {
  const capped = await repo.exportRows(db.kysely, db.engine, count, cap);
  if (!capped.totalCapped) return capped.total;
  return offThread(
    db,
    { job: 'exports.count', count },
    async () => (await repo.exportRows(db.kysely, db.engine, count, null)).total,
  );
}

/**
 * An export of selected rows (`ids`, the lists' bulk action) names only rows the caller may see:
 * an id out of sight answers 400 naming its place, as the bulk actions do (src/modules/bulk.ts).
 */
export async function selectionInSight(
  db: Db,
  actor: Actor,
  area: repo.SelectionArea,
  ids: readonly number[] | undefined,
): Promise<void> {
  if (ids)
    await checkSelection(
      ids,
      (batch) => repo.visibleIds(db.kysely, actor, area, batch),
      () => null,
      'query.ids',
    );
}

/**
 * Reads pages of at most PAGE rows after the last id seen, lazily as the file is written, so
 * a whole workspace never sits in memory and no deep OFFSET is scanned.
 */
export async function* keysetPages<R extends { id: number }>(
  read: (afterId: number) => Promise<R[]>,
  toCells: (row: R) => Cell[],
): AsyncGenerator<Cell[][]> {
  for (let after = 0; ;) {
    const page = await read(after);
    if (page.length === 0) return;
    yield page.map(toCells);
    after = page[page.length - 1]!.id;
  }
}

export function file(
  base: string,
  format: ExportFormat,
  headers: string[],
  pages: AsyncGenerator<Cell[][]>,
  rows: number,
  sheetName: string,
): ExportFile {
  if (format === 'csv') {
    return {
      fileName: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      rows,
      // In pieces of a bounded size, never a page's text at once (textInChunks).
      body: Readable.from(textInChunks(UTF8_BOM + csvLine(headers), pages, csvLine), { objectMode: false }),
    };
  }
  async function* neutralised() {
    for await (const page of pages)
      yield page.map((cells) => cells.map((c) => (typeof c === 'string' ? neutraliseCell(c) : c)));
  }
  const out = xlsxStream(sheetName, headers, neutralised());
  return {
    fileName: `${base}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    rows,
    body: out,
  };
}
