/**
 * The session statement's row (the session, its user, the user's unit, the workspace's rules),
 * kept per server instance for at most `ttlMs`, by the cookie's token (docs/DESIGN.md
 * § Sessions). Several processes share one database and each keeps its own copy, so what
 * another process changes — a sign-out, a disabled user, a role, a unit, the rules — is seen
 * here at most `ttlMs` later; this process's own state-changing requests empty the cache when
 * they end (src/server/auth-hooks.ts), so what they change is seen at the next request, as before.
 * The times a session ends by (expiry, idleness) are checked on every request against the row,
 * cached or not.
 */
export interface SessionCache<Row> {
  /** The row read for this token less than ttlMs ago, with the session's id; undefined otherwise. */
  get(token: string, now: number): { id: string; row: Row } | undefined;
  set(token: string, id: string, row: Row, now: number): void;
  delete(token: string): void;
  clear(): void;
}

/** How many sessions one instance keeps at most (the least recently read leave first). */
const SESSIONS_KEPT = 10_000;

/** A cache of `ttlMs` (null when 0: every request reads its session). */
export function sessionCache<Row>(ttlMs: number, max = SESSIONS_KEPT): SessionCache<Row> | null {
  if (!(ttlMs > 0)) return null;
  const kept = new Map<string, { id: string; row: Row; readAt: number }>();
  return {
    get(token, now) {
      const entry = kept.get(token);
      if (entry === undefined) return undefined;
      // A clock that went back (or a test's clock) counts as stale: read again.
      if (now - entry.readAt >= ttlMs || now < entry.readAt) {
        kept.delete(token);
        return undefined;
      }
      return entry;
    },
    set(token, id, row, now) {
      kept.delete(token);
      kept.set(token, { id, row, readAt: now });
      if (kept.size > max) kept.delete(kept.keys().next().value!);
    },
    delete(token) {
      kept.delete(token);
    },
    clear() {
      kept.clear();
    },
  };
}
