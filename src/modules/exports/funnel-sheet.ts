import type { Db } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { collections } from '../collections/service.ts';
import { funnel } from '../funnel/service.ts';
import { memberRows } from '../funnel/members.ts';
import type { Sheet } from './reports.ts';
import type { Cell } from './service.ts';

/**
 * The Funnel page as a sheet (docs/targets.md § Funnel): the scope, process and period it was
 * shown with; per stage the count, amount, expected amount and deals, small projects by count,
 * large by amount with their expected collections; what was won; then a row per member under
 * its own header, with their quota, attainment and gap for a period. The scope and process are checked by the funnel itself (403 beyond reach).
 */
const yuan = (fen: number | null) => (fen === null ? null : fen / 100);
const round = (x: number) => Math.round(x * 100) / 100;
/** A fraction as the page shows it: percent to one decimal (0.756 → 75.6). */
const percent = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

export async function funnelSheet(
  db: Db,
  actor: Actor,
  query: {
    scope?: string | undefined;
    period?: string | undefined;
    processId?: number | undefined;
    line?: string | undefined;
  },
  zh: boolean,
): Promise<Sheet> {
  const words = (pair: [string, string]) => (zh ? pair[0] : pair[1]);
  const shown = await funnel(db, actor, query);
  const [members, expected] = await Promise.all([
    // Every member, in the page's default order (furthest behind first), not one page of them.
    shown.scope.kind === 'user' ? null : memberRows(db, actor, query),
    shown.period ? collections(db, actor, query) : null,
  ]);
  const collectionOf = (stageId: number) => expected?.stages.find((s) => s.stageId === stageId)?.collections ?? null;
  const rows: Cell[][] = [
    ...shown.stages.map((stage) => [
      stage.name,
      stage.probability,
      stage.count,
      yuan(stage.amount),
      yuan(stage.expectedAmount),
      round(stage.expectedDeals),
      stage.small.count,
      stage.large.count,
      yuan(stage.large.amount),
      yuan(collectionOf(stage.stageId)),
    ]),
    [
      words(['合计', 'Total']),
      null,
      shown.total.count,
      yuan(shown.total.amount),
      yuan(shown.total.expectedAmount),
      round(shown.total.expectedDeals),
      null,
      null,
      null,
      yuan(expected?.open ?? null),
    ],
    [words(['已赢单', 'Won']), null, shown.won.count, yuan(shown.won.amount)],
  ];
  if (expected)
    rows.push(
      [],
      [words(['大项目预计回款', 'Expected collections of large projects']), words(['金额(元)', 'Amount (CNY)'])],
      [words(['进行中的大项目', 'From open large deals']), yuan(expected.open)],
      [words(['已赢单的分期款', 'Installments of won deals']), yuan(expected.installments)],
      [words(['本期赢单、无回款计划', 'Won this period, no plan']), yuan(expected.wonUnplanned)],
      [
        words(['预计回款', 'Expected collections']),
        yuan(expected.total),
        `${expected.firstPeriodShare}% · ${expected.realisationPercent}%`,
      ],
    );
  // Quota, attainment and gap as the page's table shows them: only for a period (every open
  // deal has no quota to measure against), the same figures as GET /funnel/members.
  const withQuota = shown.period !== null;
  if (members)
    rows.push(
      [],
      [
        words(['人员', 'Person']),
        words(['部门', 'Unit']),
        words(['商机数', 'Deals']),
        words(['金额(元)', 'Amount (CNY)']),
        words(['预期金额(元)', 'Expected amount (CNY)']),
        words(['预期商机数', 'Expected deals']),
        words(['赢单金额(元)', 'Won (CNY)']),
        ...(withQuota
          ? [
              words(['定额(元)', 'Quota (CNY)']),
              words(['完成率(%)', 'Attainment (%)']),
              words(['缺口(元)', 'Gap (CNY)']),
            ]
          : []),
      ],
      ...members.map((member) => [
        member.name,
        member.orgUnitName,
        member.count,
        yuan(member.amount),
        yuan(member.expectedAmount),
        round(member.expectedDeals),
        yuan(member.won),
        ...(withQuota ? [yuan(member.quota), percent(member.attainment), yuan(member.gap)] : []),
      ]),
    );
  return {
    title: ['销售漏斗', 'Funnel'],
    scope: `${shown.scope.name} · ${shown.process?.name ?? ''}`,
    period: shown.period?.name ?? words(['全部进行中', 'All open']),
    headers: [
      ['阶段', 'Stage'],
      ['赢率(%)', 'Probability (%)'],
      ['商机数', 'Deals'],
      ['金额(元)', 'Amount (CNY)'],
      ['预期金额(元)', 'Expected amount (CNY)'],
      ['预期商机数', 'Expected deals'],
      ['小项目数', 'Small projects'],
      ['大项目数', 'Large projects'],
      ['大项目金额(元)', 'Large amount (CNY)'],
      ['预计回款(元)', 'Expected collections (CNY)'],
    ],
    rows,
  };
}
