import type { Db } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import type { TimelineEvent, TimelinePage, TimelineQuery } from '../../contracts/timeline.ts';
import { TIMELINE_GROUPS, USER_VALUED_FIELDS } from '../../domain/timeline.ts';
import { requireAccount } from '../accounts/service.ts';
import { requireOpportunity } from '../opportunities/service.ts';
import { userNames } from '../users/shared.ts';
import * as repo from './repository/timeline.ts';

const isUserField = (f: string | null) => f !== null && (USER_VALUED_FIELDS as readonly string[]).includes(f);

function evidenceCount(json: string | null): number | null {
  if (!json) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.length : null;
  } catch {
    return null;
  }
}

async function page(db: Db, actor: Actor, scope: repo.TimelineScope, query: TimelineQuery): Promise<TimelinePage> {
  const kinds = query.groups?.length ? query.groups.flatMap((g) => TIMELINE_GROUPS[g]) : undefined;
  const { items, total } = await repo.timeline(db.kysely, actor, scope, {
    kinds,
    limit: query.limit,
    offset: query.offset,
  });
  // Owner and team changes store user ids: one lookup for the page.
  const ids = [
    ...new Set(
      items
        .filter((r) => isUserField(r.title))
        .flatMap((r) => [r.old_value, r.new_value])
        .filter((v): v is string => v !== null && /^\d+$/.test(v))
        .map(Number),
    ),
  ];
  const names = await userNames(db.kysely, actor.workspaceId, ids);
  const label = (field: string | null, value: string | null) =>
    value !== null && isUserField(field) ? (names.get(Number(value)) ?? value) : value;
  const base = (row: (typeof items)[number]): TimelineEvent => ({
    id: `${row.kind}:${row.ref_id}`,
    kind: row.kind,
    at: Number(row.at),
    actorId: row.actor_id,
    actorName: row.actor_name,
    opportunityId: row.opportunity_id,
    opportunityName: row.opportunity_name,
    subject: null,
    field: null,
    from: null,
    to: null,
    reason: null,
    detail: null,
    amount: null,
    probability: null,
    direction: null,
    evidenceCount: null,
  });
  return {
    total,
    items: items.map((row): TimelineEvent => {
      const timelineEvent = base(row);
      switch (row.kind) {
        case 'account_created':
        case 'opportunity_created':
          return { ...timelineEvent, subject: row.title, amount: row.amount === null ? null : Number(row.amount) };
        case 'account_changed':
        case 'opportunity_changed':
          return {
            ...timelineEvent,
            field: row.title,
            from: label(row.title, row.old_value),
            to: label(row.title, row.new_value),
            reason: row.reason,
          };
        case 'contact_added':
          return {
            ...timelineEvent,
            subject: row.title,
            detail: [row.new_value, row.extra].filter(Boolean).join(' · ') || null,
          };
        case 'stage_moved':
          return {
            ...timelineEvent,
            subject: row.title,
            from: row.old_value,
            direction: row.new_value,
            reason: row.reason,
            probability: row.amount === null ? null : Number(row.amount),
            evidenceCount: evidenceCount(row.extra),
          };
        case 'opportunity_closed':
          return {
            ...timelineEvent,
            subject: row.title,
            to: row.new_value,
            reason: row.reason,
            detail: row.extra,
            amount: row.amount === null ? null : Number(row.amount),
          };
        case 'review':
          // completed step / evidence seen / next action / joint plan: docs/sales-process.md's four questions
          return {
            ...timelineEvent,
            subject: row.title,
            from: row.old_value,
            to: row.new_value,
            detail: row.extra,
            reason: row.reason,
          };
        case 'file_added':
          return {
            ...timelineEvent,
            subject: row.title,
            detail: row.new_value,
            amount: row.amount === null ? null : Number(row.amount),
          };
        case 'activity':
          // type / status / outcome / notes; amount: the duration in minutes
          return {
            ...timelineEvent,
            subject: row.title,
            field: row.old_value,
            to: row.new_value,
            reason: row.reason,
            detail: row.extra,
            amount: row.amount === null ? null : Number(row.amount),
          };
      }
    }),
  };
}

export async function accountTimeline(
  db: Db,
  actor: Actor,
  accountId: number,
  query: TimelineQuery,
): Promise<TimelinePage> {
  await requireAccount(db, actor, accountId);
  return page(db, actor, { accountId }, query);
}

export async function opportunityTimeline(
  db: Db,
  actor: Actor,
  opportunityId: number,
  query: TimelineQuery,
): Promise<TimelinePage> {
  await requireOpportunity(db, actor, opportunityId);
  return page(db, actor, { opportunityId }, query);
}
