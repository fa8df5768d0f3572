import type { Db } from '../../db/database.ts';
import { label, type Labels } from '../../domain/coded-labels.ts';
import {
  BUYING_PHASE_LABELS,
  FORECAST_CATEGORY_LABELS,
  LOSS_REASON_LABELS,
  OPPORTUNITY_STATUS_LABELS,
  SIZE_CLASS_LABELS,
} from '../../domain/opportunity-labels.ts';
import type { Actor } from '../../domain/policy.ts';
import { sizeClass } from '../../domain/stage-gate.ts';
import { recordAudit } from '../audit/repository.ts';
import { loadSettings } from '../workspace/service.ts';
import * as repo from './repository.ts';
import {
  dateIn,
  exportRowCount,
  file,
  keysetPages,
  PAGE,
  selectionInSight,
  stamp,
  type Cell,
  type ExportFile,
} from './service.ts';
import type { OpportunityExportQuery } from '../../contracts/exports.ts';

/**
 * Export of the opportunity list (docs/archive.md § Import and export, §5.3): the list's filters and visibility, the
 * same permission and audit as the account export. Money is in yuan as numbers, so the sheet
 * can sum it; instants are dates in the workspace's time zone.
 */
const HEADERS: [zh: string, en: string][] = [
  ['商机名称', 'Opportunity'],
  ['客户名称', 'Account'],
  ['销售流程', 'Sales process'],
  ['阶段', 'Stage'],
  ['阶段赢率(%)', 'Stage probability (%)'],
  ['状态', 'Status'],
  ['金额(元)', 'Amount (CNY)'],
  ['预期金额(元)', 'Expected amount (CNY)'],
  ['项目规模', 'Size class'],
  ['预计成交日期', 'Expected close date'],
  ['关闭日期', 'Closed on'],
  ['预测类别', 'Forecast category'],
  ['负责人', 'Owner'],
  ['所属部门', 'Unit'],
  ['客户决策阶段', 'Buying phase'],
  ['停留天数', 'Days in stage'],
  ['创建日期', 'Created'],
  ['丢单/放弃原因', 'Loss reason'],
];

const yuan = (fen: number) => fen / 100;

export async function exportOpportunities(
  db: Db,
  actor: Actor,
  query: OpportunityExportQuery,
  ip: string | null,
): Promise<ExportFile> {
  const { format, lang, ids, ...filter } = query;
  await selectionInSight(db, actor, 'opportunities', ids);
  const [rows, timeZone, settings] = await Promise.all([
    exportRowCount(db, { area: 'opportunities', actor, filter, ids }),
    repo.workspaceTimeZone(db.kysely, actor.workspaceId),
    loadSettings(db.kysely, actor),
  ]);
  await recordAudit(
    db.kysely,
    {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      action: 'export.opportunities',
      ip,
      detail: { filter, rows, format, ...(ids ? { ids } : {}) },
    },
    actor.now,
  );
  const zh = lang === 'zh-CN';
  const date = dateIn(timeZone);
  const { now } = actor;
  const labelOf = (labels: Labels, code: string | null) => label(labels, code, lang);
  const toCells = (row: repo.OpportunityExportRow): Cell[] => [
    row.name,
    row.account_name,
    row.process_name,
    row.stage_name,
    row.stage_probability,
    labelOf(OPPORTUNITY_STATUS_LABELS, row.status),
    yuan(row.amount),
    // Only an open deal has an expectation; the list shows none for closed ones either.
    row.status === 'open' && row.stage_probability !== null
      ? yuan(Math.round((row.amount * row.stage_probability) / 100))
      : null,
    labelOf(SIZE_CLASS_LABELS, sizeClass(row.amount, settings.largeDealThreshold)),
    row.expected_close_date,
    date(row.closed_at),
    labelOf(FORECAST_CATEGORY_LABELS, row.forecast_category),
    row.owner_name,
    row.unit_name,
    labelOf(BUYING_PHASE_LABELS, row.buying_phase),
    row.stage_entered_at === null ? null : Math.floor((now - row.stage_entered_at) / 86_400_000),
    date(row.created_at),
    row.status === 'won' ? null : labelOf(LOSS_REASON_LABELS, row.close_reason),
  ];
  const pages = keysetPages(
    (after) => repo.opportunityPage(db.kysely, db.engine, actor, filter, after, PAGE, ids),
    toCells,
  );
  const headers = HEADERS.map(([h, en]) => (zh ? h : en));
  return file(
    `${zh ? '商机' : 'opportunities'}-${stamp()}`,
    format,
    headers,
    pages,
    rows,
    zh ? '商机' : 'Opportunities',
  );
}
