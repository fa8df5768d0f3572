import type { Db } from '../../db/database.ts';
import { label, type Labels } from '../../domain/coded-labels.ts';
import type { Actor } from '../../domain/policy.ts';
import type { ActivityExportQuery } from '../../contracts/exports.ts';
import { recordAudit } from '../audit/repository.ts';
import { dateIn, file, keysetPages, PAGE, stamp, type Cell, type ExportFile } from '../exports/service.ts';
import { loadRules } from '../workspace/service.ts';
import * as listRepo from './repository/list.ts';
import { toFilter } from './service.ts';

/**
 * Export of the activity list (docs/archive.md § Import and export): the list's filters and
 * visibility, the export permission, and every export in the audit log with its filter and
 * row count. Times are in the workspace's time zone.
 */
const TYPE_LABELS: Labels = {
  visit: { zh: '拜访', en: 'Visit' },
  call: { zh: '电话', en: 'Call' },
  meeting: { zh: '会议', en: 'Meeting' },
  demo: { zh: '演示', en: 'Demo' },
  technical_exchange: { zh: '技术交流', en: 'Technical exchange' },
  email: { zh: '邮件', en: 'Email' },
  wechat: { zh: '微信', en: 'WeChat' },
  event: { zh: '活动', en: 'Event' },
};
const STATUS_LABELS: Labels = {
  planned: { zh: '计划', en: 'Planned' },
  done: { zh: '已完成', en: 'Done' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};
const HEADERS: [zh: string, en: string][] = [
  ['日期', 'Date'],
  ['时间', 'Time'],
  ['类型', 'Type'],
  ['状态', 'Status'],
  ['客户名称', 'Account'],
  ['商机', 'Opportunity'],
  ['负责人', 'Owner'],
  ['主题', 'Subject'],
  ['地点', 'Location'],
  ['时长(分钟)', 'Duration (minutes)'],
  ['纪要', 'Notes'],
  ['结果', 'Outcome'],
];

export async function exportActivities(
  db: Db,
  actor: Actor,
  query: ActivityExportQuery,
  ip: string | null,
): Promise<ExportFile> {
  const { format, lang, ...listFilter } = query;
  const [filter, { calendar }] = await Promise.all([toFilter(db, actor, listFilter), loadRules(db.kysely, actor)]);
  const rows = await listRepo.countActivities(db.kysely, db.engine, actor, filter);
  await recordAudit(
    db.kysely,
    {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      action: 'export.activities',
      ip,
      detail: { filter: listFilter, rows, format },
    },
    actor.now,
  );
  const zh = lang === 'zh-CN';
  const date = dateIn(calendar.timeZone);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: calendar.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  const toCells = (row: listRepo.ActivityRow): Cell[] => [
    date(Number(row.start_at)),
    time.format(new Date(Number(row.start_at))),
    label(TYPE_LABELS, row.type, lang),
    label(STATUS_LABELS, row.status, lang),
    row.account_name,
    row.opportunity_name,
    row.owner_name,
    row.subject,
    row.location,
    row.end_at === null ? null : Math.round((Number(row.end_at) - Number(row.start_at)) / 60_000),
    row.notes,
    row.outcome,
  ];
  const pages = keysetPages(
    (after) => listRepo.activityExportPage(db.kysely, db.engine, actor, filter, after, PAGE),
    toCells,
  );
  return file(
    `${zh ? '活动' : 'activities'}-${stamp()}`,
    format,
    HEADERS.map(([h, en]) => (zh ? h : en)),
    pages,
    rows,
    zh ? '活动' : 'Activities',
  );
}
