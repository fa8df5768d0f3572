import type { Actor } from '../../domain/policy.ts';

/**
 * What the session's statement reads besides the actor (src/modules/auth/repository.ts): the
 * workspace's rules, calendar and name, and the user's own name. They are kept for the request
 * the actor serves, so a report's first step needs no read of its own — on PostgreSQL every
 * read is a round trip, and a rep's funnel has 2 ms (docs/targets.md § Funnel).
 * Keyed by the actor object itself: it lives as long as its request, and an actor built
 * elsewhere (jobs, tests) simply has none, so its readers read the database.
 */
export interface SessionReads {
  settings: string | null;
  timeZone: string;
  fiscalYearStartMonth: number;
  workspaceName: string;
  userName: string;
}

const kept = new WeakMap<Actor, SessionReads>();

export function keepSessionReads(actor: Actor, reads: SessionReads): void {
  kept.set(actor, reads);
}

export function sessionReadsOf(actor: Actor): SessionReads | undefined {
  return kept.get(actor);
}
