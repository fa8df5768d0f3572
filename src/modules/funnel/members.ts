import type { Db } from '../../db/database.ts';
import type * as contract from '../../contracts/funnel.ts';
import type { Actor } from '../../domain/policy.ts';
import { invalid } from '../../server/problem.ts';
import { personalQuotas } from '../quotas/service.ts';
import { periodDto, scopeDto } from '../targets/scope.ts';
import * as memberReads from './repository/members.ts';
import { context, type FunnelQuery } from './context.ts';
import { expected } from './service.ts';

/**
 * The funnel's per-member table (docs/targets.md § Funnel, the per-member table): a row per
 * person of the scope with their open deals per stage, what they won, their quota, attainment
 * and gap. The API answers a page of it, sorted and searched on the server: a 2,000-person
 * scope is ~900 KiB of JSON in one answer, and writing that cost twice the SQL behind it. The
 * rows are built and sorted in memory (a few thousand, from the same reads as before); only
 * the page is written. The export takes every row.
 */
type Member = contract.FunnelMember;
type Base = Omit<contract.FunnelMembersResponse, 'members' | 'total' | 'sort'>;

/**
 * The table held by column, a position per person: their figures add up in typed arrays and a
 * row object is made only for the rows answered. Objects of a few thousand people each built
 * up field by field cost more CPU than the SQL behind them (profiled: 5–7 ms of a 20 ms
 * request, most of it V8 moving each object's fields from integers to doubles).
 */
export interface MemberTable {
  size: number;
  ids: number[];
  names: string[];
  unitIds: number[];
  unitNames: string[];
  stageCount: number;
  /** counts[position × stageCount + stage], amounts likewise. */
  counts: Float64Array;
  amounts: Float64Array;
  count: Float64Array;
  amount: Float64Array;
  expectedAmount: Float64Array;
  expectedDeals: Float64Array;
  won: Float64Array;
  /** NaN: none (period=all; attainment also without a quota). */
  quota: Float64Array;
  attainment: Float64Array;
  gap: Float64Array;
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x);

/** The row of one position, as the contract writes it. */
export function memberRow(table: MemberTable, position: number): Member {
  const from = position * table.stageCount;
  return {
    userId: table.ids[position]!,
    name: table.names[position]!,
    orgUnitId: table.unitIds[position]!,
    orgUnitName: table.unitNames[position]!,
    counts: Array.from(table.counts.subarray(from, from + table.stageCount)),
    amounts: Array.from(table.amounts.subarray(from, from + table.stageCount)),
    count: table.count[position]!,
    amount: table.amount[position]!,
    expectedAmount: table.expectedAmount[position]!,
    expectedDeals: table.expectedDeals[position]!,
    won: table.won[position]!,
    quota: orNull(table.quota[position]!),
    attainment: orNull(table.attainment[position]!),
    gap: orNull(table.gap[position]!),
  };
}

/** Every person of a scope's table, by column, with what the answer says around them. */
export async function memberTable(
  db: Db,
  actor: Actor,
  query: FunnelQuery,
): Promise<{ base: Base; table: MemberTable }> {
  const ctx = await context(db, actor, query);
  const open = ctx.stages.filter((s) => s.is_won !== 1);
  const base = {
    scope: scopeDto(ctx.scope),
    process: ctx.process,
    period: ctx.period ? periodDto(ctx.period, ctx.calendar, actor.now) : null,
    stages: open.map((s) => ({ stageId: s.id, name: s.name, probability: s.probability })),
  };
  const week = ctx.period?.kind === 'week';
  const [totals, people, quotas] = ctx.process
    ? await Promise.all([
        week
          ? Promise.all([
              memberReads.dealsByOwner(db.kysely, actor.workspaceId, ctx.process.id, ctx.filter, 'open', ctx.openDates),
              memberReads.dealsByOwner(db.kysely, actor.workspaceId, ctx.process.id, ctx.filter, 'won', ctx.wonDates),
            ]).then(([openRows, wonRows]) => [...openRows, ...wonRows])
          : memberReads.memberTotals(db.kysely, actor.workspaceId, ctx.process.id, ctx.filter, {
              open: ctx.openMonths,
              won: ctx.wonMonths,
            }),
        ctx.scope.kind === 'user'
          ? Promise.resolve([])
          : memberReads.membersUnder(db.kysely, actor.workspaceId, ctx.scope.kind === 'unit' ? ctx.scope.path : null),
        ctx.period ? personalQuotas(db.kysely, actor.workspaceId, ctx.period, ctx, ctx.line) : null,
      ])
    : [[], [], null];
  const ids: number[] = [];
  const names: string[] = [];
  const unitIds: number[] = [];
  const unitNames: string[] = [];
  const positions = new Map<number, number>();
  const add = (id: number, name: string, unitId: number, unitName: string) => {
    positions.set(id, ids.length);
    ids.push(id);
    names.push(name);
    unitIds.push(unitId);
    unitNames.push(unitName);
    return ids.length - 1;
  };
  for (const person of people) add(person.id, person.name, person.org_unit_id, person.unit_name);
  // Owners outside the member list (a deal kept in a unit its owner has left, the one person of
  // a user scope), named below.
  const others: number[] = [];
  const positionOf = (id: number) => {
    const known = positions.get(id);
    if (known !== undefined) return known;
    others.push(id);
    return add(id, '', 0, '');
  };
  if (ctx.process && ctx.scope.kind === 'user') positionOf(ctx.scope.userId);
  for (const total of totals) positionOf(total.owner_id);
  const size = ids.length;
  const stageCount = open.length;
  const table: MemberTable = {
    size,
    ids,
    names,
    unitIds,
    unitNames,
    stageCount,
    counts: new Float64Array(size * stageCount),
    amounts: new Float64Array(size * stageCount),
    count: new Float64Array(size),
    amount: new Float64Array(size),
    expectedAmount: new Float64Array(size),
    expectedDeals: new Float64Array(size),
    won: new Float64Array(size),
    quota: new Float64Array(size).fill(NaN),
    attainment: new Float64Array(size).fill(NaN),
    gap: new Float64Array(size).fill(NaN),
  };
  const index = new Map(open.map((s, i) => [s.id, i]));
  for (const total of totals) {
    const position = positions.get(total.owner_id)!;
    const amount = Number(total.amount);
    if (total.status === 'won') {
      table.won[position]! += amount;
      continue;
    }
    const stageIndex = index.get(total.stage_id);
    if (stageIndex === undefined) continue;
    const deals = Number(total.deals);
    const probability = open[stageIndex]!.probability;
    table.counts[position * stageCount + stageIndex]! += deals;
    table.amounts[position * stageCount + stageIndex]! += amount;
    table.count[position]! += deals;
    table.amount[position]! += amount;
    table.expectedAmount[position]! += expected(amount, probability);
    table.expectedDeals[position]! += (deals * probability) / 100;
  }
  for (const person of await memberReads.peopleNamed(db.kysely, actor.workspaceId, others)) {
    const position = positions.get(person.id)!;
    names[position] = person.name;
    unitIds[position] = person.org_unit_id;
    unitNames[position] = person.unit_name;
  }
  if (quotas)
    for (let position = 0; position < size; position++) {
      const quota = quotas.get(ids[position]!) ?? 0;
      table.quota[position] = quota;
      if (quota > 0) table.attainment[position] = table.won[position]! / quota;
      table.gap[position] = quota - table.won[position]! - table.expectedAmount[position]!;
    }
  return { base, table };
}

/** The default order: furthest behind first (lowest attainment); without a period, the largest expected amount. */
export const defaultSort = (hasPeriod: boolean) => (hasPeriod ? 'attainment' : '-expectedAmount');

const collator = new Intl.Collator('zh-CN');

/**
 * Sorts positions of the table in place by a sort key of the contract (`-` first: descending).
 * A person without the figure (no quota: no attainment) goes last either way; ties fall to the
 * gap, largest first, then the person's id. A stage not in the table is 400 naming `query.sort`.
 */
export function sortPositions(
  table: MemberTable,
  positions: number[],
  sort: string,
  stages: readonly { stageId: number }[],
): number[] {
  const desc = sort.startsWith('-');
  const column = desc ? sort.slice(1) : sort;
  const direction = desc ? -1 : 1;
  const { gap, ids } = table;
  const byGap = (a: number, b: number) => nanLast(gap[a]!, gap[b]!, -1) || ids[a]! - ids[b]!;
  let compare: (a: number, b: number) => number;
  if (column === 'name' || column === 'unit') {
    const text = column === 'name' ? table.names : table.unitNames;
    compare = (a, b) => direction * collator.compare(text[a]!, text[b]!) || byGap(a, b);
  } else if (column.startsWith('stage:')) {
    const stageIndex = stages.findIndex((s) => s.stageId === Number(column.slice(6)));
    if (stageIndex < 0)
      throw invalid('query.sort', { code: 'invalid' }, `${column} is no open stage of the process shown`);
    const { counts, stageCount } = table;
    const inStage = (position: number) => counts[position * stageCount + stageIndex]!;
    compare = (a, b) => direction * (inStage(a) - inStage(b)) || byGap(a, b);
  } else {
    const values =
      table[column as 'count' | 'amount' | 'expectedAmount' | 'expectedDeals' | 'won' | 'quota' | 'attainment' | 'gap'];
    compare = (a, b) => nanLast(values[a]!, values[b]!, direction) || byGap(a, b);
  }
  return positions.sort(compare);
}

/** NaN (no figure) after every number, whichever the direction. */
function nanLast(left: number, right: number, direction: number) {
  const leftNone = Number.isNaN(left);
  const rightNone = Number.isNaN(right);
  if (leftNone || rightNone) return leftNone === rightNone ? 0 : leftNone ? 1 : -1;
  return direction * (left - right);
}

/** Every row of the table in its default order (the export). */
export async function memberRows(db: Db, actor: Actor, query: FunnelQuery): Promise<Member[]> {
  const { base, table } = await memberTable(db, actor, query);
  const positions = Array.from({ length: table.size }, (_, position) => position);
  sortPositions(table, positions, defaultSort(base.period !== null), base.stages);
  return positions.map((position) => memberRow(table, position));
}

/** GET /funnel/members: one page of the table, sorted and searched as asked. */
export async function funnelMembers(
  db: Db,
  actor: Actor,
  query: contract.FunnelMembersQuery,
): Promise<contract.FunnelMembersResponse> {
  const { base, table } = await memberTable(db, actor, query);
  const sort = query.sort ?? defaultSort(base.period !== null);
  const needle = query.q?.toLowerCase();
  const positions: number[] = [];
  for (let position = 0; position < table.size; position++)
    if (!needle || table.names[position]!.toLowerCase().includes(needle)) positions.push(position);
  sortPositions(table, positions, sort, base.stages);
  return {
    ...base,
    sort,
    total: positions.length,
    members: positions.slice(query.offset, query.offset + query.limit).map((position) => memberRow(table, position)),
  };
}
