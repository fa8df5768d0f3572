import type { Db } from '../../db/database.ts';
import type * as contract from '../../contracts/funnel.ts';
import type { Actor } from '../../domain/policy.ts';
import { invalid } from '../../server/problem.ts';
import { personalQuotas } from '../quotas/service.ts';
import { periodDto, scopeDto } from '../targets/scope.ts';
import * as memberReads from './repository/members.ts';
import { context, expected, type FunnelQuery } from './service.ts';

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

/** Every row of a scope's table, unsorted, with what the answer says around them. */
export async function memberTable(db: Db, actor: Actor, query: FunnelQuery): Promise<{ base: Base; rows: Member[] }> {
  const ctx = await context(db, actor, query);
  const open = ctx.stages.filter((s) => s.is_won !== 1);
  const base = {
    scope: scopeDto(ctx.scope),
    process: ctx.process,
    period: ctx.period ? periodDto(ctx.period, ctx.calendar, actor.now) : null,
    stages: open.map((s) => ({ stageId: s.id, name: s.name, probability: s.probability })),
  };
  if (!ctx.process) return { base, rows: [] };
  const week = ctx.period?.kind === 'week';
  const [totals, people, quotas] = await Promise.all([
    week
      ? Promise.all([
          memberReads.dealsByOwner(db.kysely, actor.workspaceId, ctx.process.id, ctx.filter, 'open', ctx.openDates),
          memberReads.dealsByOwner(db.kysely, actor.workspaceId, ctx.process.id, ctx.filter, 'won', ctx.wonDates),
        ])
      : memberReads
          .memberTotals(db.kysely, actor.workspaceId, ctx.process.id, ctx.filter, {
            open: ctx.openMonths,
            won: ctx.wonMonths,
          })
          .then((rows) => [rows.filter((r) => r.status === 'open'), rows.filter((r) => r.status === 'won')] as const),
    ctx.scope.kind === 'user'
      ? Promise.resolve([])
      : memberReads.membersUnder(db.kysely, actor.workspaceId, ctx.scope.kind === 'unit' ? ctx.scope.path : null),
    ctx.period ? personalQuotas(db.kysely, actor.workspaceId, ctx.period, ctx, ctx.line) : null,
  ]);
  const [openRows, wonRows] = totals;
  const named = new Map(people.map((p) => [p.id, p]));
  // Owners outside the member list (a deal kept in a unit its owner has left, the one person of a user scope).
  const others = [...new Set([...openRows, ...wonRows].map((r) => r.ownerId).filter((id) => !named.has(id)))];
  if (ctx.scope.kind === 'user' && !named.has(ctx.scope.userId)) others.push(ctx.scope.userId);
  for (const person of await memberReads.peopleNamed(db.kysely, actor.workspaceId, [...new Set(others)]))
    named.set(person.id, person);
  const rows = new Map<number, Member>();
  for (const [id, person] of named)
    rows.set(id, {
      userId: id,
      name: person.name,
      orgUnitId: person.org_unit_id,
      orgUnitName: person.unit_name,
      counts: open.map(() => 0),
      amounts: open.map(() => 0),
      count: 0,
      amount: 0,
      expectedAmount: 0,
      expectedDeals: 0,
      won: 0,
      quota: null,
      attainment: null,
      gap: null,
    });
  const index = new Map(open.map((s, i) => [s.id, i]));
  for (const openRow of openRows) {
    const member = rows.get(openRow.ownerId);
    const stageIndex = index.get(openRow.stageId);
    if (member === undefined || stageIndex === undefined) continue;
    const probability = open[stageIndex]!.probability;
    member.counts[stageIndex]! += openRow.deals;
    member.amounts[stageIndex]! += openRow.amount;
    member.count += openRow.deals;
    member.amount += openRow.amount;
    member.expectedAmount += expected(openRow.amount, probability);
    member.expectedDeals += (openRow.deals * probability) / 100;
  }
  for (const wonRow of wonRows) {
    const member = rows.get(wonRow.ownerId);
    if (member) member.won += wonRow.amount;
  }
  if (quotas)
    for (const member of rows.values()) {
      const quota = quotas.get(member.userId) ?? 0;
      member.quota = quota;
      member.attainment = quota > 0 ? member.won / quota : null;
      member.gap = quota - member.won - member.expectedAmount;
    }
  return { base, rows: [...rows.values()] };
}

/** The default order: furthest behind first (lowest attainment); without a period, the largest expected amount. */
export const defaultSort = (hasPeriod: boolean) => (hasPeriod ? 'attainment' : '-expectedAmount');

const names = new Intl.Collator('zh-CN');

/**
 * Sorts the rows in place by a sort key of the contract (`-` first: descending). A row without
 * the figure (no quota: no attainment) goes last either way; ties fall to the gap, largest
 * first, then the person's id. A stage not in the table is 400 naming `query.sort`.
 */
export function sortMembers(rows: Member[], sort: string, stages: readonly { stageId: number }[]): Member[] {
  const desc = sort.startsWith('-');
  const column = desc ? sort.slice(1) : sort;
  const direction = desc ? -1 : 1;
  const byGap = (a: Member, b: Member) => nullsLast(a.gap, b.gap, -1) || a.userId - b.userId;
  let compare: (a: Member, b: Member) => number;
  if (column === 'name' || column === 'unit') {
    const text = column === 'name' ? (m: Member) => m.name : (m: Member) => m.orgUnitName;
    compare = (a, b) => direction * names.compare(text(a), text(b)) || byGap(a, b);
  } else if (column.startsWith('stage:')) {
    const stageIndex = stages.findIndex((s) => s.stageId === Number(column.slice(6)));
    if (stageIndex < 0)
      throw invalid('query.sort', { code: 'invalid' }, `${column} is no open stage of the process shown`);
    compare = (a, b) => direction * (a.counts[stageIndex]! - b.counts[stageIndex]!) || byGap(a, b);
  } else {
    const key = column as
      'count' | 'amount' | 'expectedAmount' | 'expectedDeals' | 'won' | 'quota' | 'attainment' | 'gap';
    compare = (a, b) => nullsLast(a[key], b[key], direction) || byGap(a, b);
  }
  return rows.sort(compare);
}

function nullsLast(left: number | null, right: number | null, direction: number) {
  if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1;
  return direction * (left - right);
}

/** GET /funnel/members: one page of the table, sorted and searched as asked. */
export async function funnelMembers(
  db: Db,
  actor: Actor,
  query: contract.FunnelMembersQuery,
): Promise<contract.FunnelMembersResponse> {
  const { base, rows } = await memberTable(db, actor, query);
  const sort = query.sort ?? defaultSort(base.period !== null);
  const needle = query.q?.toLowerCase();
  const found = needle ? rows.filter((m) => m.name.toLowerCase().includes(needle)) : rows;
  sortMembers(found, sort, base.stages);
  return { ...base, sort, total: found.length, members: found.slice(query.offset, query.offset + query.limit) };
}
