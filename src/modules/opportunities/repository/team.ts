import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';

/** A deal's team: its members (with their names), who may join, and the seats taken and left. */

export async function teamOf(db: Kysely<Database>, workspaceId: number, opportunityIds: number[]) {
  if (opportunityIds.length === 0) return [];
  return db
    .selectFrom('opportunity_team as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.opportunity_id', 't.user_id', 't.team_role', 'u.name as user_name', 'u.role as user_role'])
    .where('t.workspace_id', '=', workspaceId)
    .where('t.opportunity_id', 'in', opportunityIds)
    .orderBy('t.id')
    .execute();
}

export async function teamMember(db: Kysely<Database>, workspaceId: number, opportunityId: number, memberId: number) {
  return db
    .selectFrom('opportunity_team')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .where('id', '=', memberId)
    .executeTakeFirst();
}

export async function activeUser(db: Kysely<Database>, workspaceId: number, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'active'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function insertTeamMember(
  db: Kysely<Database>,
  member: { workspaceId: number; opportunityId: number; userId: number; teamRole: string; now: number },
) {
  await db
    .insertInto('opportunity_team')
    .values({
      workspace_id: member.workspaceId,
      opportunity_id: member.opportunityId,
      user_id: member.userId,
      team_role: member.teamRole,
      created_at: member.now,
    })
    .execute();
}

export async function deleteTeamMember(
  db: Kysely<Database>,
  workspaceId: number,
  opportunityId: number,
  memberId: number,
) {
  await db
    .deleteFrom('opportunity_team')
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .where('id', '=', memberId)
    .execute();
}

/** The new owner takes the sales-lead seat, and leaves any other seat they held on the team. */
export async function seatNewLead(
  db: Kysely<Database>,
  workspaceId: number,
  opportunityId: number,
  userId: number,
  now: number,
) {
  await db
    .deleteFrom('opportunity_team')
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .where('team_role', '=', 'sales_lead')
    .execute();
  await db
    .deleteFrom('opportunity_team')
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .where('user_id', '=', userId)
    .execute();
  await insertTeamMember(db, { workspaceId, opportunityId, userId, teamRole: 'sales_lead', now });
}
