import type { Db } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { conflict, forbidden, invalid, notFound } from '../../server/problem.ts';
import { isUniqueViolation } from '../../db/dialect.ts';
import { recordChanges } from '../history/repository.ts';
import { getOpportunity, LEAD_ONLY, requireRight } from './read.ts';
import * as dealRepo from './repository/deal.ts';
import * as teamRepo from './repository/team.ts';
import type * as contract from '../../contracts/opportunities.ts';

/**
 * Adds a colleague to the team (docs/sales-process.md § The opportunity). Any active user of the workspace may join —
 * presales or an executive sponsor often sits in another unit. The sales lead is the owner.
 */
export async function addTeamMember(db: Db, actor: Actor, id: number, input: contract.AddTeamMemberRequest) {
  const { r: opportunity, team } = await requireRight(db, actor, id, 'edit', `${LEAD_ONLY} adds people to the team`);
  const user = await teamRepo.activeUser(db.kysely, actor.workspaceId, input.userId);
  if (!user || user.active !== 1)
    throw invalid(
      'userId',
      { code: 'not_found', params: { id: input.userId } },
      `no active user with id ${input.userId} in this workspace`,
    );
  if (input.teamRole === 'sales_lead' && input.userId !== opportunity.owner_id)
    throw invalid(
      'teamRole',
      { code: 'lead_is_owner' },
      'the owner is the sales lead; change the owner to hand the lead over',
    );
  if (team.some((m) => m.user_id === input.userId))
    throw conflict('duplicate_member', `${user.name} is already on the team`, 'userId');
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    // Two people adding the same colleague at once: the unique index decides, the loser gets the 409 too.
    await teamRepo
      .insertTeamMember(trx, {
        workspaceId: actor.workspaceId,
        opportunityId: id,
        userId: input.userId,
        teamRole: input.teamRole,
        now,
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err)
          ? conflict('duplicate_member', `${user.name} is already on the team`, 'userId')
          : err;
      });
    await dealRepo.touchOpportunity(trx, actor.workspaceId, id, now);
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'opportunity',
          entityId: id,
          field: 'team',
          oldValue: null,
          newValue: input.userId,
          reason: input.teamRole,
          actorUserId: actor.userId,
        },
      ],
      now,
    );
  });
  return getOpportunity(db, actor, id);
}

/**
 * Removes a team member: the deal's lead removes anyone but the owner's seat; a member may
 * leave. Answers the opportunity, or null when the one who left can no longer see it.
 */
export async function removeTeamMember(db: Db, actor: Actor, id: number, memberId: number) {
  const { r: opportunity, rights } = await requireRight(db, actor, id, 'contribute', 'You cannot change this team');
  const member = await teamRepo.teamMember(db.kysely, actor.workspaceId, id, memberId);
  if (!member) throw notFound('Team member');
  if (!rights.edit && member.user_id !== actor.userId)
    throw forbidden(`${LEAD_ONLY} removes others from the team; you may leave it`);
  if (member.user_id === opportunity.owner_id && member.team_role === 'sales_lead')
    throw conflict('owner_seat', "The owner's sales-lead seat cannot be removed; change the owner instead");
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    await teamRepo.deleteTeamMember(trx, actor.workspaceId, id, memberId);
    await dealRepo.touchOpportunity(trx, actor.workspaceId, id, now);
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'opportunity',
          entityId: id,
          field: 'team',
          oldValue: member.user_id,
          newValue: null,
          reason: member.team_role,
          actorUserId: actor.userId,
        },
      ],
      now,
    );
  });
  return (await dealRepo.getOpportunity(db.kysely, actor, id)) ? getOpportunity(db, actor, id) : null;
}
