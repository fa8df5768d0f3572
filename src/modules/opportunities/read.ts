import type { Db } from '../../db/database.ts';
import { dateIn } from '../../domain/calendar.ts';
import { opportunityRights, type Actor } from '../../domain/policy.ts';
import type { EvidenceGiven } from '../../domain/stage-gate.ts';
import type { TeamRole } from '../../domain/opportunity.ts';
import { forbidden, notFound } from '../../server/problem.ts';
import { labelledHistory } from '../history/labelled.ts';
import { getStage } from '../sales-processes/service.ts';
import { loadRules } from '../workspace/service.ts';
import { toOpportunityDto, type DtoView } from './dto.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/opportunities.ts';
import type { Page } from '../../contracts/common.ts';

/** The workspace's threshold and the request's instant and date in the workspace zone. */
export async function dtoView(db: Db, actor: Actor): Promise<DtoView> {
  const { settings, calendar } = await loadRules(db.kysely, actor.workspaceId);
  return { largeDealThreshold: settings.largeDealThreshold, now: actor.now, today: dateIn(actor.now, calendar.timeZone) };
}

export async function listOpportunities(db: Db, actor: Actor, q: Parameters<typeof repo.listOpportunities>[3]): Promise<Page<contract.Opportunity>> {
  const [{ items, total }, view] = await Promise.all([repo.listOpportunities(db.kysely, db.engine, actor, q), dtoView(db, actor)]);
  return { items: items.map((r) => toOpportunityDto(r, view)), total };
}

export async function requireOpportunity(db: Db, actor: Actor, id: number) {
  const r = await repo.getOpportunity(db.kysely, actor, id);
  if (!r) throw notFound('Opportunity');
  return r;
}

/** Whether the opportunity is within the actor's sight (docs/organisation.md): the attachments area asks before a download. */
export const seesOpportunity = async (db: Db, actor: Actor, id: number) => (await repo.getOpportunity(db.kysely, actor, id)) !== undefined;

/** What the actor may do with this opportunity (the rule is domain/policy.ts opportunityRights). */
const rightsOf = (actor: Actor, r: repo.OpportunityRow, team: { user_id: number }[]) =>
  opportunityRights(actor, { ownerId: r.owner_id, unitPath: r.unit_path, onTeam: team.some((m) => m.user_id === actor.userId) });

/** The opportunity and its team when the actor holds the right named: 404 out of sight, 403 without it. */
export async function requireRight(db: Db, actor: Actor, id: number, right: 'edit' | 'contribute', refusal: string) {
  const r = await requireOpportunity(db, actor, id);
  const team = await repo.teamOf(db.kysely, actor.workspaceId, [id]);
  const rights = rightsOf(actor, r, team);
  if (!rights[right]) throw forbidden(refusal);
  return { r, team, rights };
}

export const LEAD_ONLY = 'Only the owner or a manager over the opportunity';

export async function getOpportunity(db: Db, actor: Actor, id: number): Promise<contract.OpportunityDetail> {
  const r = await requireOpportunity(db, actor, id);
  const [view, team, stage] = await Promise.all([
    dtoView(db, actor),
    repo.teamOf(db.kysely, actor.workspaceId, [id]),
    r.stage_id === null ? undefined : getStage(db.kysely, actor.workspaceId, r.stage_id),
  ]);
  // docs/sales-process.md § Sales processes and stages "roles to involve": the current stage's roles nobody on the team holds yet.
  const held = new Set(team.map((m) => m.team_role));
  const suggestedRoles = r.status === 'open' && stage ? (JSON.parse(stage.roles) as TeamRole[]).filter((role) => !held.has(role)) : [];
  return {
    ...toOpportunityDto(r, view),
    team: team.map((m) => ({ id: m.id, userId: m.user_id, userName: m.user_name, teamRole: m.team_role as TeamRole })),
    suggestedRoles,
    permissions: rightsOf(actor, r, team),
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
  return (await repo.stageHistory(db.kysely, actor.workspaceId, id)).map((h) => ({
    id: h.id,
    stageId: h.stage_id,
    stageName: h.stage_name,
    probability: h.probability,
    enteredAt: h.entered_at,
    enteredByName: h.entered_by_name,
    leftAt: h.left_at,
    leftByName: h.left_by_name,
    daysInStage: Math.round((((h.left_at ?? actor.now) - h.entered_at) / 86_400_000) * 10) / 10,
    exitDirection: h.exit_direction,
    exitEvidence: h.exit_evidence ? (JSON.parse(h.exit_evidence) as EvidenceGiven[]) : [],
    exitReason: h.exit_reason,
    exitOverridden: h.exit_overridden ? (JSON.parse(h.exit_overridden) as unknown[]) : [],
  }));
}
