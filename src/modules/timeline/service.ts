import type { Db } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { TIMELINE_GROUPS, USER_VALUED_FIELDS, type TimelineEvent, type TimelineGroup } from '../../domain/timeline.ts';
import { requireAccount } from '../accounts/service.ts';
import { requireOpportunity } from '../opportunities/service.ts';
import { userNames } from '../users/shared.ts';
import * as repo from './repository.ts';

export interface TimelineQuery {
  groups?: readonly TimelineGroup[] | undefined;
  limit: number;
  offset: number;
}

const isUserField = (f: string | null) => f !== null && (USER_VALUED_FIELDS as readonly string[]).includes(f);

function evidenceCount(json: string | null): number | null {
  if (!json) return null;
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.length : null;
  } catch {
    return null;
  }
}

async function page(db: Db, actor: Actor, scope: repo.TimelineScope, q: TimelineQuery) {
  const kinds = q.groups?.length ? q.groups.flatMap((g) => TIMELINE_GROUPS[g]) : undefined;
  const { items, total } = await repo.timeline(db.kysely, actor, scope, { kinds, limit: q.limit, offset: q.offset });
  // Owner and team changes store user ids: one lookup for the page.
  const ids = [...new Set(items.filter((r) => isUserField(r.title)).flatMap((r) => [r.old_value, r.new_value]).filter((v): v is string => v !== null && /^\d+$/.test(v)).map(Number))];
  const names = await userNames(db.kysely, actor.workspaceId, ids);
  const label = (field: string | null, v: string | null) => (v !== null && isUserField(field) ? (names.get(Number(v)) ?? v) : v);
  const base = (r: (typeof items)[number]): TimelineEvent => ({
    id: `${r.kind}:${r.ref_id}`, kind: r.kind, at: Number(r.at), actorId: r.actor_id, actorName: r.actor_name,
    opportunityId: r.opportunity_id, opportunityName: r.opportunity_name,
    subject: null, field: null, from: null, to: null, reason: null, detail: null, amount: null, probability: null, direction: null, evidenceCount: null,
  });
  return {
    total,
    items: items.map((r): TimelineEvent => {
      const e = base(r);
      switch (r.kind) {
        case 'account_created':
        case 'opportunity_created':
          return { ...e, subject: r.title, amount: r.amount === null ? null : Number(r.amount) };
        case 'account_changed':
        case 'opportunity_changed':
          return { ...e, field: r.title, from: label(r.title, r.old_value), to: label(r.title, r.new_value), reason: r.reason };
        case 'contact_added':
          return { ...e, subject: r.title, detail: [r.new_value, r.extra].filter(Boolean).join(' · ') || null };
        case 'stage_moved':
          return { ...e, subject: r.title, from: r.old_value, direction: r.new_value, reason: r.reason, probability: r.amount === null ? null : Number(r.amount), evidenceCount: evidenceCount(r.extra) };
        case 'opportunity_closed':
          return { ...e, subject: r.title, to: r.new_value, reason: r.reason, detail: r.extra, amount: r.amount === null ? null : Number(r.amount) };
        case 'review':
          // completed step / evidence seen / next action / joint plan: docs/sales-process.md's four questions
          return { ...e, subject: r.title, from: r.old_value, to: r.new_value, detail: r.extra, reason: r.reason };
        case 'file_added':
          return { ...e, subject: r.title, detail: r.new_value, amount: r.amount === null ? null : Number(r.amount) };
        case 'activity':
          // type / status / outcome / notes; amount: the duration in minutes
          return { ...e, subject: r.title, field: r.old_value, to: r.new_value, reason: r.reason, detail: r.extra, amount: r.amount === null ? null : Number(r.amount) };
      }
    }),
  };
}

export async function accountTimeline(db: Db, actor: Actor, accountId: number, q: TimelineQuery) {
  await requireAccount(db, actor, accountId);
  return page(db, actor, { accountId }, q);
}

export async function opportunityTimeline(db: Db, actor: Actor, opportunityId: number, q: TimelineQuery) {
  await requireOpportunity(db, actor, opportunityId);
  return page(db, actor, { opportunityId }, q);
}
