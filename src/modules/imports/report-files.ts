import type { Db } from '../../db/database.ts';
import type { ImportKind } from '../../domain/import-fields.ts';
import { templateHeaders } from '../../domain/import-headers.ts';
import type { RowProblem } from '../../domain/import-validate.ts';
import type { Actor } from '../../domain/policy.ts';
import { csvLine, UTF8_BOM } from '../../domain/spreadsheet-format.ts';
import type { Page } from '../../contracts/common.ts';
import type * as contract from '../../contracts/imports.ts';
import * as repo from './repository/jobs.ts';
import { requireJob } from './service.ts';

/** What an import's report and template read as: its rows page by page, the error report and the empty template (CSV). */

/** Rows of the report with their problems, paginated: the errors, or the warnings on rows to be created. */
export async function listReportRows(
  db: Db,
  actor: Actor,
  id: number,
  kind: repo.ReportKind,
  query: contract.ReportPageQuery,
): Promise<Page<contract.ReportRow>> {
  await requireJob(db.kysely, actor, id);
  const { items, total } = await repo.reportRows(db.kysely, actor.workspaceId, id, kind, query.limit, query.offset);
  return {
    items: items.map((row) => ({
      rowNo: row.row_no,
      outcome: row.outcome as contract.ReportRow['outcome'],
      problems: JSON.parse(row.problems ?? '[]') as RowProblem[],
    })),
    total,
  };
}

/** The error report as CSV (row, field, problem, then the row's own cells), page by page. */
export async function errorReportCsv(db: Db, actor: Actor, id: number) {
  const job = await requireJob(db.kysely, actor, id);
  const headers = JSON.parse(job.headers) as string[];
  async function* lines() {
    yield UTF8_BOM + csvLine(['行号 row', '字段 field', '问题 problem', ...headers]);
    for (let after = 0; ;) {
      const rows = await repo.errorRowsAfter(db.kysely, actor.workspaceId, id, after, 1000);
      if (rows.length === 0) return;
      let chunk = '';
      for (const row of rows) {
        const cells = JSON.parse(row.data) as string[];
        for (const problem of JSON.parse(row.problems ?? '[]') as RowProblem[])
          chunk += csvLine([row.row_no, problem.field, problem.message, ...cells]);
      }
      yield chunk;
      after = rows[rows.length - 1]!.row_no;
    }
  }
  return { fileName: `${job.file_name.replace(/\.[^.]+$/, '')}-errors.csv`, lines: lines() };
}

/** An empty file to fill in: the header row of the kind in one language, as CSV with a byte-order mark (Excel reads it as UTF-8). */
export function templateCsv(query: contract.TemplateQuery) {
  return {
    fileName: `${query.lang === 'zh-CN' ? TEMPLATE_NAMES[query.kind].zh : TEMPLATE_NAMES[query.kind].en}.csv`,
    body: UTF8_BOM + csvLine(templateHeaders(query.kind, query.lang)),
  };
}

const TEMPLATE_NAMES: Record<ImportKind, { zh: string; en: string }> = {
  accounts: { zh: '客户导入模板', en: 'accounts-template' },
  contacts: { zh: '联系人导入模板', en: 'contacts-template' },
  purchases: { zh: '采购记录导入模板', en: 'purchases-template' },
  opportunities: { zh: '商机导入模板', en: 'opportunities-template' },
};
