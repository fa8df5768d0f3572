import type { Db } from '../../db/database.ts';
import { dateIn } from '../../domain/calendar.ts';
import { opportunityRights, type Actor } from '../../domain/policy.ts';
import type { EvidenceGiven } from '../../domain/stage-gate.ts';
import type { TeamRole } from '../../domain/opportunity.ts';
import { forbidden, notFound } from '../../server/problem.ts';
import { labelledHistory } from '../history/labelled.ts';
import { keptOpportunityTotals } from '../funnel/list-totals.ts';
import { getStage } from '../sales-processes/service.ts';
import { loadRules } from '../workspace/service.ts';
import { toOpportunityDto, type DtoView } from './dto.ts';
import * as dealRepo from './repository/deal.ts';
import * as listRepo from './repository/list.ts';
import * as stageRepo from './repository/stages.ts';
import * as teamRepo from './repository/team.ts';
import type * as contract from '../../contracts/opportunities.ts';

/** The workspace's threshold and stall factor, and the request's instant and date in the workspace zone. */
export async function dtoView(db: Db, actor: Actor): Promise<DtoView> {
  const { settings, calendar } = await loadRules(db.kysely, actor);
  return {
    largeDealThreshold: settings.largeDealThreshold,
    stalledFactorPercent: settings.stalledFactorPercent,
    now: actor.now,
    today: dateIn(actor.now, calendar.timeZone),
  };
}

export async function listOpportunities(
  db: Db,
  actor: Actor,
  query: Parameters<typeof listRepo.listOpportunities>[3],
): Promise<contract.OpportunityListPage> {
  const keptTotals = await keptOpportunityTotals(db.kysely, actor, query);
  const [{ items, total, totals }, view] = await Promise.all([
    listRepo.listOpportunities(db.kysely, db.engine, actor, { ...query, keptTotals }),
    dtoView(db, actor),
  ]);
  return { items: items.map((r) => toOpportunityDto(r, view)), total, totals };
}

export async function requireOpportunity(db: Db, actor: Actor, id: number) {
  const opportunity = await dealRepo.getOpportunity(db.kysely, actor, id);
  if (!opportunity) throw notFound('Opportunity');
  return opportunity;
}

/** Whether the opportunity is within the actor's sight (docs/organisation.md): the attachments area asks before a download. */
export const seesOpportunity = async (db: Db, actor: Actor, id: number) =>
  (await dealRepo.getOpportunity(db.kysely, actor, id)) !== undefined;

/** What the actor may do with this opportunity (the rule is domain/policy.ts opportunityRights). */
const rightsOf = (actor: Actor, row: dealRepo.OpportunityRow, team: { user_id: number }[]) =>
  opportunityRights(actor, {
    ownerId: row.owner_id,
    unitPath: row.unit_path,
    onTeam: team.some((m) => m.user_id === actor.userId),
  });

/** The opportunity and its team when the actor holds the right named: 404 out of sight, 403 without it. */
export async function requireRight(db: Db, actor: Actor, id: number, right: 'edit' | 'contribute', refusal: string) {
  const opportunity = await requireOpportunity(db, actor, id);
  const team = await teamRepo.teamOf(db.kysely, actor.workspaceId, [id]);
  const rights = rightsOf(actor, opportunity, team);
  if (!rights[right]) throw forbidden(refusal);
  return { r: opportunity, team, rights };
}

export const LEAD_ONLY = 'Only the owner or a manager over the opportunity';

export async function getOpportunity(db: Db, actor: Actor, id: number): Promise<contract.OpportunityDetail> {
  const opportunity = await requireOpportunity(db, actor, id);
  const [view, team, stage] = await Promise.all([
    dtoView(db, actor),
    teamRepo.teamOf(db.kysely, actor.workspaceId, [id]),
    opportunity.stage_id === null ? undefined : getStage(db.kysely, actor.workspaceId, opportunity.stage_id),
  ]);
  // docs/sales-process.md § Sales processes and stages "roles to involve": the current stage's roles nobody on the team holds yet.
  const held = new Set(team.map((m) => m.team_role));
  const suggestedRoles =
    opportunity.status === 'open' && stage
      ? (JSON.parse(stage.roles) as TeamRole[]).filter((role) => !held.has(role))
      : [];
  return {
    ...toOpportunityDto(opportunity, view),
    team: team.map((m) => ({ id: m.id, userId: m.user_id, userName: m.user_name, teamRole: m.team_role as TeamRole })),
    suggestedRoles,
    permissions: rightsOf(actor, opportunity, team),
  };
}

/** The audit trail of an opportunity (docs/method.md): owner and team members by name. */
export async function opportunityHistory(db: Db, actor: Actor, id: number): Promise<contract.HistoryItem[]> {
  await requireOpportunity(db, actor, id);
  return labelledHistory(db.kysely, actor.workspaceId, 'opportunity', id, ['owner', 'team']);
}

/** Stage history with time in each stage (docs/sales-process.md § The opportunity). */
export async function stageHistory(db: Db, actor: Actor, id: number): Promise<contract.StageHistoryEntry[]> {
  await requireOpportunity(db, actor, id);
  return (await stageRepo.stageHistory(db.kysely, actor.workspaceId, id)).map((entry) => ({
    id: entry.id,
    stageId: entry.stage_id,
    stageName: entry.stage_name,
    probability: entry.probability,
    enteredAt: entry.entered_at,
    enteredByName: entry.entered_by_name,
    leftAt: entry.left_at,
    leftByName: entry.left_by_name,
    daysInStage: Math.round((((entry.left_at ?? actor.now) - entry.entered_at) / 86_400_000) * 10) / 10,
    exitDirection: entry.exit_direction,
    exitEvidence: entry.exit_evidence ? (JSON.parse(entry.exit_evidence) as EvidenceGiven[]) : [],
    exitReason: entry.exit_reason,
    exitOverridden: entry.exit_overridden ? (JSON.parse(entry.exit_overridden) as unknown[]) : [],
  }));
}
