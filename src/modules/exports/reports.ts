import type { Db } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { analyses } from '../analyses/service.ts';
import { recordAudit } from '../audit/repository.ts';
import { accuracy, forecastView, gapView } from '../forecasts/views.ts';
import type { AnalysesResponse } from '../../contracts/analyses.ts';
import type { ExportReport, ReportExportQuery } from '../../contracts/exports.ts';
import { file, stamp, type Cell, type ExportFile } from './service.ts';
import { funnelSheet } from './funnel-sheet.ts';
import { invalid } from '../../server/problem.ts';

/**
 * Excel (or CSV) of a report of docs/targets.md with the filters it was shown with: the same
 * scope and period, resolved and checked by the report itself (403 beyond reach), the first
 * rows saying which, and the export in the audit log like the list exports.
 */

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

export type Sheet = {
  title: [string, string];
  scope: string;
  period: string;
  headers: [string, string][];
  rows: Cell[][];
};

async function sheetOf(
  db: Db,
  actor: Actor,
  report: ExportReport,
  query: {
    scope?: string | undefined;
    period?: string | undefined;
    processId?: number | undefined;
    line?: string | undefined;
  },
  zh: boolean,
): Promise<Sheet> {
  if (query.line !== undefined && (report === 'accuracy' || report === 'analyses'))
    throw invalid('query.line', { code: 'invalid' }, `the ${report} report is not by business line`);
  if (report === 'funnel') return funnelSheet(db, actor, query, zh);
  if (report === 'forecast') {
    const view = await forecastView(db, actor, query);
    return {
      title: ['销售预测', 'Forecast'],
      scope: view.scope.name,
      period: view.period.name,
      headers: [
        ['人员', 'Person'],
        ['最近提交周', 'Last week submitted'],
        ['确保(元)', 'Commit (CNY)'],
        ['可能(元)', 'Possible (CNY)'],
        ['预测(元)', 'Forecast (CNY)'],
        ['已完成(元)', 'Realised (CNY)'],
      ],
      rows: [
        ...view.people.map((peopleItem) => [
          peopleItem.name,
          peopleItem.weekStart,
          yuan(peopleItem.commit),
          yuan(peopleItem.possible),
          yuan(peopleItem.forecast),
          yuan(peopleItem.realised),
        ]),
        [
          '合计 / Total',
          view.weekStart,
          yuan(view.commit),
          yuan(view.possible),
          yuan(view.forecast),
          yuan(view.realised),
        ],
        ['目标 / Quota', null, null, null, yuan(view.quota), null],
        ['漏斗预期 / Funnel expected', null, null, null, yuan(view.objective.expectedAmount), null],
        // A line's own figures: the submissions above are per rep, of every line.
        ...(view.line
          ? [
              ['业务线目标 / Line quota', view.line.key, null, null, yuan(view.line.quota), null] as Cell[],
              [
                '业务线漏斗预期 / Line funnel expected',
                view.line.key,
                null,
                null,
                yuan(view.line.objective.expectedAmount),
                yuan(view.line.realised),
              ] as Cell[],
            ]
          : []),
        ...(view.adjustment
          ? [
              [
                '经理调整 / Adjusted',
                view.adjustment.weekStart,
                null,
                null,
                yuan(view.adjustment.amount),
                null,
              ] as Cell[],
            ]
          : []),
      ],
    };
  }
  if (report === 'accuracy') {
    const first = await accuracy(db, actor, query);
    return {
      title: ['预测准确度', 'Forecast accuracy'],
      scope: first.scope.name,
      period: first.period.name,
      headers: [
        ['人员/部门', 'Person / unit'],
        ['类型', 'Kind'],
        ['首次预测(元)', 'First forecast (CNY)'],
        ['最近预测(元)', 'Latest forecast (CNY)'],
        ['实际成交(元)', 'Won (CNY)'],
        ['准确度(%)', 'Accuracy (%)'],
      ],
      rows: first.rows.map((row) => [
        row.name,
        row.kind,
        yuan(row.firstForecast),
        yuan(row.lastForecast),
        yuan(row.actual),
        pct(row.accuracy),
      ]),
    };
  }
  if (report === 'gap') {
    const gap = await gapView(db, actor, query);
    return {
      title: ['业绩缺口 P1–P4', 'Gap P1–P4'],
      scope: gap.scope.name,
      period: gap.period.name,
      headers: [
        ['项目', 'Item'],
        ['数值', 'Value'],
      ],
      rows: [
        ...(gap.line ? [['业务线 / Business line', gap.line] as Cell[]] : []),
        ['目标 / Quota (CNY)', yuan(gap.quota)],
        ['已完成 FI (CNY)', yuan(gap.finished)],
        ['确保 CO (CNY)', yuan(gap.commit)],
        ['其他已识别 N-CO (CNY)', yuan(gap.nonCommit)],
        ['平均单值 P4 (CNY)', yuan(gap.averageDeal)],
        ['P1 (%)', gap.factors.p1],
        ['P2 (%)', gap.factors.p2],
        ['P3 (%)', gap.factors.p3],
        ['Gap0 (CNY)', yuan(gap.gap0)],
        ['Gap1 (CNY)', yuan(gap.gap1)],
        ['Gap2 (CNY)', yuan(gap.gap2)],
        ['Gap3 (CNY)', yuan(gap.gap3)],
        ['需新客户 / New customers', gap.newAccounts],
        ['每周 / Per week', gap.newAccountsPerWeek],
        ['剩余周 / Weeks left', gap.weeksLeft],
      ],
    };
  }
  const analyse = await analyses(db, actor, query);
  return {
    title: ['销售分析', 'Analyses'],
    scope: analyse.scope.name,
    period: analyse.period.name,
    headers: [
      ['分析', 'Analysis'],
      ['分组', 'Group'],
      ['赢单', 'Won'],
      ['赢单金额(元)', 'Won (CNY)'],
      ['丢单', 'Lost'],
      ['赢率(%)', 'Win rate (%)'],
      ['进行中', 'Open'],
      ['其他', 'Other'],
    ],
    rows: [
      ...analyse.sizeBands.map((sizeBand) => [
        'size_band',
        sizeBand.band,
        sizeBand.won,
        yuan(sizeBand.wonAmount),
        sizeBand.lost,
        pct(sizeBand.winRate),
        sizeBand.open,
        yuan(sizeBand.openAmount),
      ]),
      ...(['new', 'existing'] as const).map((key) => [
        'customer',
        key,
        analyse.newVsExisting[key].won,
        yuan(analyse.newVsExisting[key].wonAmount),
        analyse.newVsExisting[key].lost,
        pct(analyse.newVsExisting[key].winRate),
        null,
        null,
      ]),
      ...(['small', 'large'] as const).map((key) => [
        'project',
        key,
        analyse.projects[key].won,
        yuan(analyse.projects[key].wonAmount),
        null,
        pct(analyse.projects[key].share),
        analyse.projects[key].open,
        analyse.projects[key].cycleDays,
      ]),
      ...analyse.diagnosis.map((diagnosi) => [
        'diagnosis',
        diagnosi.name,
        diagnosi.won,
        yuan(diagnosi.wonAmount),
        diagnosi.lost,
        pct(diagnosi.winRate),
        diagnosi.newAccounts,
        diagnosi.problem,
      ]),
      ...activityRows(analyse.activity, zh),
    ],
  };
}

const perWeek = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

/**
 * Activity productivity as the Analyses page shows it: its own header row under the other
 * analyses (its columns are not theirs), the weeks elapsed and the targets, the average rep,
 * then each rep.
 */
function activityRows(activity: AnalysesResponse['activity'], zh: boolean): Cell[][] {
  const words = (pair: [string, string]) => (zh ? pair[0] : pair[1]);
  const figures = (row: AnalysesResponse['activity']['team']): Cell[] => [
    perWeek(row.activitiesPerWeek),
    perWeek(row.visitsPerWeek),
    perWeek(row.qualifyingPerWeek),
    perWeek(row.newAccountsPerWeek),
    perWeek(row.visitsPerWon),
    perWeek(row.activities),
    perWeek(row.visits),
    perWeek(row.won),
  ];
  return [
    [],
    [
      words(['活动效率', 'Activity productivity']),
      words(['人员', 'Person']),
      words(['活动/周', 'Activities / week']),
      words(['拜访/周', 'Visits / week']),
      words(['有效跟进/周', 'Qualifying follow-ups / week']),
      words(['新客户/周', 'New accounts / week']),
      words(['每赢单拜访', 'Visits per win']),
      words(['活动', 'Activities']),
      words(['拜访', 'Visits']),
      words(['赢单', 'Won']),
    ],
    ['activity', words(['已过周数', 'Weeks elapsed']), activity.weeks],
    [
      'activity',
      words(['目标', 'Target']),
      null,
      activity.targets.visitsPerWeek,
      null,
      activity.targets.newAccountsPerWeek,
    ],
    ['activity', words(['平均每人', 'Average rep']), ...figures(activity.team)],
    ...activity.reps.map((rep) => ['activity', rep.name, ...figures(rep)]),
  ];
}

export async function exportReport(
  db: Db,
  actor: Actor,
  query: ReportExportQuery,
  ip: string | null,
): Promise<ExportFile> {
  const zh = query.lang === 'zh-CN';
  const sheet = await sheetOf(db, actor, query.report, query, zh);
  const heading: Cell[][] = [
    [zh ? '范围' : 'Scope', sheet.scope],
    [zh ? '期间' : 'Period', sheet.period],
    ...(query.line !== undefined ? [[zh ? '业务线' : 'Business line', query.line]] : []),
    [zh ? '导出时间' : 'Exported', new Date(actor.now).toISOString()],
    [],
    sheet.headers.map(([h, en]) => (zh ? h : en)),
  ];
  await recordAudit(
    db.kysely,
    {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      action: 'export.report',
      ip,
      detail: {
        report: query.report,
        scope: query.scope ?? null,
        ...(query.processId !== undefined ? { processId: query.processId } : {}),
        ...(query.line !== undefined ? { line: query.line } : {}),
        period: sheet.period,
        rows: sheet.rows.length,
        format: query.format,
      },
    },
    actor.now,
  );
  async function* pages() {
    yield [...heading.slice(1), ...sheet.rows];
  }
  const title = zh ? sheet.title[0] : sheet.title[1];
  return file(
    `${title}-${sheet.scope}-${sheet.period}-${stamp()}`,
    query.format,
    heading[0]!.map(String),
    pages(),
    sheet.rows.length,
    title.slice(0, 31),
  );
}
