import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { lineOfProducts, NO_LINE, type BusinessLine } from '../../domain/business-lines.ts';
import { sizeClass } from '../../domain/stage-gate.ts';
import { loadSettings } from '../workspace/service.ts';
import * as repo from './repository/upkeep.ts';
import type { DealFacts, FunnelKey } from './repository/upkeep.ts';

/**
 * Keeps the funnel's totals (docs/targets.md § Funnel) equal to the deals. Every writer of a
 * deal's owner, unit, amount, stage, status, process or close date runs its change inside
 * `keepingFunnel` on its own transaction: the deals' places are read before and after, and
 * the difference is applied before the transaction commits, so a reader never sees a funnel
 * that disagrees with the deals. Writers today: create, update, move, close, reopen
 * (src/modules/opportunities/), handover (src/modules/handovers/); bulk loads and a new
 * large-deal threshold rebuild the workspace's totals instead (`rebuildFunnel`).
 */
export async function keepingFunnel<T>(
  trx: Kysely<Database>,
  workspaceId: number,
  ids: readonly number[] | (() => Promise<readonly number[]>),
  change: () => Promise<T>,
): Promise<T> {
  const known = typeof ids === 'function' ? null : ids;
  const before = known ? await repo.dealFacts(trx, workspaceId, known) : [];
  const result = await change();
  const after = await repo.dealFacts(trx, workspaceId, known ?? (await (ids as () => Promise<readonly number[]>)()));
  const { largeDealThreshold, businessLines } = await loadSettings(trx, workspaceId);
  await stampLines(trx, workspaceId, after, businessLines);
  await repo.addToTotals(trx, funnelDeltas(workspaceId, before, after, largeDealThreshold));
  return result;
}

/**
 * Each deal carries the business line of its products (docs/targets.md § Business lines): the
 * deals just written get theirs here, whichever writer changed their products, before the
 * totals count them.
 */
async function stampLines(
  trx: Kysely<Database>,
  workspaceId: number,
  deals: DealFacts[],
  lines: readonly BusinessLine[],
): Promise<void> {
  const changed = new Map<string, number[]>();
  for (const deal of deals) {
    const line = lineOfProducts(productsOf(deal.products), lines);
    if (line === deal.business_line) continue;
    deal.business_line = line;
    const dealIds = changed.get(line) ?? [];
    dealIds.push(deal.id);
    changed.set(line, dealIds);
  }
  for (const [line, dealIds] of changed) await repo.setBusinessLine(trx, workspaceId, dealIds, line);
}

function productsOf(json: string): string[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Counts a newly inserted deal (its id known only after the insert). */
export async function countNewDeal(trx: Kysely<Database>, workspaceId: number, id: number): Promise<void> {
  await keepingFunnel(
    trx,
    workspaceId,
    async () => [id],
    async () => undefined,
  );
}

export async function rebuildFunnel(trx: Kysely<Database>, workspaceId: number): Promise<void> {
  const { largeDealThreshold, businessLines } = await loadSettings(trx, workspaceId);
  await restampLines(trx, workspaceId, businessLines);
  await repo.rebuildTotals(trx, workspaceId, largeDealThreshold);
}

/**
 * Every deal of a workspace stamped with the line of its products again (new lines, a bulk
 * load): one statement when the workspace has no lines, else a pass over the deals by id.
 */
async function restampLines(trx: Kysely<Database>, workspaceId: number, lines: readonly BusinessLine[]) {
  if (lines.length === 0) return repo.clearBusinessLines(trx, workspaceId);
  const page = 5000;
  for (let afterId = 0; ;) {
    const deals = await repo.dealProducts(trx, workspaceId, afterId, page);
    const changed = new Map<string, number[]>();
    for (const deal of deals) {
      const line = lineOfProducts(productsOf(deal.products), lines);
      if (line === deal.business_line) continue;
      const dealIds = changed.get(line) ?? [];
      dealIds.push(deal.id);
      changed.set(line, dealIds);
    }
    for (const [line, dealIds] of changed) await repo.setBusinessLine(trx, workspaceId, dealIds, line);
    if (deals.length < page) return;
    afterId = deals[deals.length - 1]!.id;
  }
}

/** After a unit moved in the tree: the subtree totals are summed again from the per-owner ones. */
export async function rebuildFunnelUnits(trx: Kysely<Database>, workspaceId: number): Promise<void> {
  await repo.rebuildUnitTotals(trx, workspaceId);
}

export function funnelKey(workspaceId: number, deal: DealFacts, threshold: number): FunnelKey | null {
  if ((deal.status !== 'open' && deal.status !== 'won') || deal.process_id === null || deal.stage_id === null)
    return null;
  return {
    workspace_id: workspaceId,
    process_id: deal.process_id,
    stage_id: deal.stage_id,
    org_unit_id: deal.org_unit_id,
    owner_id: deal.owner_id,
    status: deal.status,
    close_month: deal.expected_close_date?.slice(0, 7) ?? '',
    size_class: sizeClass(Number(deal.amount), threshold),
    business_line: deal.business_line ?? NO_LINE,
  };
}

/** The net change per key: a deal that moved takes itself from its old place and adds itself to its new one. */
export function funnelDeltas(
  workspaceId: number,
  before: readonly DealFacts[],
  after: readonly DealFacts[],
  threshold: number,
) {
  const net = new Map<string, FunnelKey & { deals: number; amount: number }>();
  const add = (deal: DealFacts, sign: 1 | -1) => {
    const key = funnelKey(workspaceId, deal, threshold);
    if (!key) return;
    const mapKey = JSON.stringify(key);
    const have = net.get(mapKey) ?? { ...key, deals: 0, amount: 0 };
    have.deals += sign;
    have.amount += sign * Number(deal.amount);
    net.set(mapKey, have);
  };
  for (const deal of before) add(deal, -1);
  for (const deal of after) add(deal, 1);
  return [...net.values()].filter((d) => d.deals !== 0 || d.amount !== 0);
}
