import type { Db } from '../../db/database.ts';
import type { Lang } from '../../domain/import-fields.ts';
import type { Actor } from '../../domain/policy.ts';
import { analyses } from '../analyses/service.ts';
import { recordAudit } from '../audit/repository.ts';
import { accuracy, forecastView, gapView } from '../forecasts/views.ts';
import { file, stamp, type Cell, type ExportFile, type ExportFormat } from './service.ts';

/**
 * Excel (or CSV) of a report of docs/targets.md with the filters it was shown with: the same
 * scope and period, resolved and checked by the report itself (403 beyond reach), the first
 * rows saying which, and the export in the audit log like the list exports.
 */
export const REPORTS = ['forecast', 'accuracy', 'gap', 'analyses'] as const;
export type Report = (typeof REPORTS)[number];

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

type Sheet = { title: [string, string]; scope: string; period: string; headers: [string, string][]; rows: Cell[][] };

async function sheetOf(db: Db, actor: Actor, report: Report, q: { scope?: string | undefined; period?: string | undefined }): Promise<Sheet> {
  if (report === 'forecast') {
    const v = await forecastView(db, actor, q);
    return {
      title: ['销售预测', 'Forecast'], scope: v.scope.name, period: v.period.name,
      headers: [['人员', 'Person'], ['最近提交周', 'Last week submitted'], ['确保(元)', 'Commit (CNY)'], ['可能(元)', 'Possible (CNY)'], ['预测(元)', 'Forecast (CNY)'], ['已完成(元)', 'Realised (CNY)']],
      rows: [
        ...v.people.map((p) => [p.name, p.weekStart, yuan(p.commit), yuan(p.possible), yuan(p.forecast), yuan(p.realised)]),
        ['合计 / Total', v.weekStart, yuan(v.commit), yuan(v.possible), yuan(v.forecast), yuan(v.realised)],
        ['目标 / Quota', null, null, null, yuan(v.quota), null],
        ['漏斗预期 / Funnel expected', null, null, null, yuan(v.objective.expectedAmount), null],
        ...(v.adjustment ? [['经理调整 / Adjusted', v.adjustment.weekStart, null, null, yuan(v.adjustment.amount), null] as Cell[]] : []),
      ],
    };
  }
  if (report === 'accuracy') {
    const a = await accuracy(db, actor, q);
    return {
      title: ['预测准确度', 'Forecast accuracy'], scope: a.scope.name, period: a.period.name,
      headers: [['人员/部门', 'Person / unit'], ['类型', 'Kind'], ['首次预测(元)', 'First forecast (CNY)'], ['最近预测(元)', 'Latest forecast (CNY)'], ['实际成交(元)', 'Won (CNY)'], ['准确度(%)', 'Accuracy (%)']],
      rows: a.rows.map((r) => [r.name, r.kind, yuan(r.firstForecast), yuan(r.lastForecast), yuan(r.actual), pct(r.accuracy)]),
    };
  }
  if (report === 'gap') {
    const g = await gapView(db, actor, q);
    return {
      title: ['业绩缺口 P1–P4', 'Gap P1–P4'], scope: g.scope.name, period: g.period.name,
      headers: [['项目', 'Item'], ['数值', 'Value']],
      rows: [
        ['目标 / Quota (CNY)', yuan(g.quota)], ['已完成 FI (CNY)', yuan(g.finished)], ['确保 CO (CNY)', yuan(g.commit)], ['其他已识别 N-CO (CNY)', yuan(g.nonCommit)],
        ['平均单值 P4 (CNY)', yuan(g.averageDeal)], ['P1 (%)', g.factors.p1], ['P2 (%)', g.factors.p2], ['P3 (%)', g.factors.p3],
        ['Gap0 (CNY)', yuan(g.gap0)], ['Gap1 (CNY)', yuan(g.gap1)], ['Gap2 (CNY)', yuan(g.gap2)], ['Gap3 (CNY)', yuan(g.gap3)],
        ['需新客户 / New customers', g.newAccounts], ['每周 / Per week', g.newAccountsPerWeek], ['剩余周 / Weeks left', g.weeksLeft],
      ],
    };
  }
  const a = await analyses(db, actor, q);
  return {
    title: ['销售分析', 'Analyses'], scope: a.scope.name, period: a.period.name,
    headers: [['分析', 'Analysis'], ['分组', 'Group'], ['赢单', 'Won'], ['赢单金额(元)', 'Won (CNY)'], ['丢单', 'Lost'], ['赢率(%)', 'Win rate (%)'], ['进行中', 'Open'], ['其他', 'Other']],
    rows: [
      ...a.sizeBands.map((b) => ['size_band', b.band, b.won, yuan(b.wonAmount), b.lost, pct(b.winRate), b.open, yuan(b.openAmount)]),
      ...(['new', 'existing'] as const).map((k) => ['customer', k, a.newVsExisting[k].won, yuan(a.newVsExisting[k].wonAmount), a.newVsExisting[k].lost, pct(a.newVsExisting[k].winRate), null, null]),
      ...(['small', 'large'] as const).map((k) => ['project', k, a.projects[k].won, yuan(a.projects[k].wonAmount), null, pct(a.projects[k].share), a.projects[k].open, a.projects[k].cycleDays]),
      ...a.diagnosis.map((d) => ['diagnosis', d.name, d.won, yuan(d.wonAmount), d.lost, pct(d.winRate), d.newAccounts, d.problem]),
    ],
  };
}

export async function exportReport(
  db: Db, actor: Actor, q: { report: Report; scope?: string | undefined; period?: string | undefined; format: ExportFormat; lang: Lang }, ip: string | null,
): Promise<ExportFile> {
  const sheet = await sheetOf(db, actor, q.report, q);
  const zh = q.lang === 'zh-CN';
  const heading: Cell[][] = [
    [zh ? '范围' : 'Scope', sheet.scope], [zh ? '期间' : 'Period', sheet.period], [zh ? '导出时间' : 'Exported', new Date(actor.now).toISOString()], [],
    sheet.headers.map(([h, en]) => (zh ? h : en)),
  ];
  await recordAudit(db.kysely, {
    workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'export.report', ip,
    detail: { report: q.report, scope: q.scope ?? null, period: sheet.period, rows: sheet.rows.length, format: q.format },
  }, actor.now);
  async function* pages() { yield [...heading.slice(1), ...sheet.rows]; }
  const title = zh ? sheet.title[0] : sheet.title[1];
  return file(`${title}-${sheet.scope}-${sheet.period}-${stamp()}`, q.format, heading[0]!.map(String), pages(), sheet.rows.length, title.slice(0, 31));
}
