import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { startOfDay, type IsoDate } from '../../domain/calendar.ts';
import type { Actor } from '../../domain/policy.ts';
import { keepingFunnel } from '../funnel/upkeep.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import * as dealRepo from './repository/deals.ts';
import type { ResolvedDeal } from './validate-opportunities.ts';

/**
 * Writes one chunk of imported deals inside the commit's transaction (docs/sales-process.md §
 * Import of opportunities): the deals, their owner as sales lead, the stage-history row of the
 * stage they enter (closed at once for a closed deal), their change history with the reason
 * "import", and the funnel's kept totals for exactly these deals (keepingFunnel), so the totals
 * equal a recount when the transaction commits.
 *
 * A closed deal closed on its close date (start of that day in the workspace's zone): won at the
 * process's won stage with the amount as its contract amount and forecast "commit", lost or
 * abandoned at its stage with reason and competitor, out of the forecast — what a close writes.
 */
export async function writeOpportunities(
  trx: Kysely<Database>,
  actor: Actor,
  deals: ResolvedDeal[],
  timeZone: string,
  now: number,
): Promise<number[]> {
  if (deals.length === 0) return [];
  const { workspaceId } = actor;
  const closedAt = (deal: ResolvedDeal) =>
    deal.status === 'open' ? null : startOfDay(deal.values.expectedCloseDate as IsoDate, timeZone);
  // Known only after the insert: the funnel reads these deals' places once they exist.
  let createdIds: number[] = [];
  const ids = await keepingFunnel(
    trx,
    workspaceId,
    async () => createdIds,
    async () => {
      createdIds = await dealRepo.insertOpportunities(
        trx,
        deals.map((deal) => ({
          workspace_id: workspaceId,
          account_id: deal.accountId,
          name: deal.values.name,
          owner_id: deal.owner.id,
          org_unit_id: deal.owner.org_unit_id,
          amount: deal.values.amount,
          status: deal.status,
          expected_close_date: deal.values.expectedCloseDate,
          closed_at: closedAt(deal),
          process_id: deal.process.id,
          stage_id: deal.stage.id,
          stage_entered_at: now,
          lead_source: deal.values.leadSource,
          forecast_category: deal.status === 'won' ? 'commit' : deal.status === 'open' ? 'pipeline' : 'omitted',
          products: JSON.stringify(deal.values.products),
          description: deal.values.description,
          close_reason: deal.values.lossReason,
          close_competitor: deal.values.competitor,
          contract_amount: deal.status === 'won' ? deal.values.amount : null,
          created_at: now,
          updated_at: now,
          version: 1,
        })),
      );
      return createdIds;
    },
  );
  await dealRepo.insertTeamMembers(
    trx,
    deals.map((deal, index) => ({
      workspace_id: workspaceId,
      opportunity_id: ids[index]!,
      user_id: deal.owner.id,
      team_role: 'sales_lead',
      created_at: now,
    })),
  );
  await dealRepo.insertStageEntries(
    trx,
    deals.map((deal, index) => ({
      workspace_id: workspaceId,
      opportunity_id: ids[index]!,
      stage_id: deal.stage.id,
      stage_name: deal.stage.name,
      probability: deal.stage.probability,
      entered_at: now,
      entered_by: actor.userId,
      ...(deal.status === 'open'
        ? {}
        : {
            left_at: now,
            left_by: actor.userId,
            exit_direction: 'closed',
            exit_reason: deal.values.lossReason,
          }),
    })),
  );
  const changes: Change[] = deals.flatMap((deal, index) => {
    const change = (field: string, newValue: string | number | null, reason: string | null = 'import'): Change => ({
      workspaceId,
      entityType: 'opportunity',
      entityId: ids[index]!,
      field,
      oldValue: null,
      newValue,
      reason,
      actorUserId: actor.userId,
    });
    return [
      change('owner', deal.owner.id),
      change('amount', deal.values.amount),
      change('close_date', deal.values.expectedCloseDate),
      change('stage', deal.stage.name),
      ...(deal.status === 'open' ? [] : [change('status', deal.status)]),
    ];
  });
  await recordChanges(trx, changes, now);
  return ids;
}
