import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { Config } from '../../config.ts';
import type { Actor } from '../../domain/policy.ts';
import type { Role } from '../../domain/roles.ts';
import { invalid, tooManyRequests, unauthenticated } from '../../server/problem.ts';
import { isSqliteBusy } from '../../db/dialect.ts';
import { countSince, failingAddresses, lastAt, pairSignIns, recordAudit } from '../audit/repository.ts';
import { updateVersioned } from '../versioned.ts';
import { dummyHash, hashPassword, verifyPassword } from './password.ts';
import * as repo from './repository.ts';
import { keyedSerial } from './serial.ts';
import type { SessionCache } from './session-cache.ts';
import { keepSessionReads } from '../workspace/session-reads.ts';
import type { ChangePasswordRequest } from '../../contracts/auth.ts';

/**
 * Sign-in throttling slows the guesser, not the account's owner (docs/DESIGN.md "Sessions and
 * sign-in"). Failures are counted per (account, address) pair: the first few are free, then
 * each further try waits twice as long as the one before, up to the window. An address is
 * capped across all accounts. Guessing at one account from many addresses (where the pair
 * rule would let each address start afresh) closes the account to addresses that never signed
 * in to it, for the window — its owner's usual addresses stay open.
 */
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Distinct addresses failing at one account within the window that make it "guessed at from many places". */
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;
export const FREE_FAILURES_PER_PAIR = 5;
export const FIRST_PAIR_DELAY_MS = 30_000;
/** How long a pair's failures are remembered (the delay keeps growing while they are). */
export const PAIR_MEMORY_MS = 24 * 60 * 60_000;

/** The wait before the pair's next try after `failures` failures: none for the first few, then 30 s, 1 min, 2 min … up to the window. */
export function pairDelayMs(failures: number): number {
  if (failures < FREE_FAILURES_PER_PAIR) return 0;
  return Math.min(LOGIN_WINDOW_MS, FIRST_PAIR_DELAY_MS * 2 ** (failures - FREE_FAILURES_PER_PAIR));
}
/** A blocked sign-in is written to the audit log at most this often per account. */
const THROTTLE_LOG_EVERY_MS = 60_000;
/** last_seen_at is written at most this often, so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 60_000;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export interface LoginResult {
  token: string;
  userId: number;
  workspaceId: number;
}

const oneAccountAtATime = keyedSerial();

export async function login(
  db: Db,
  config: Config,
  input: { email: string; password: string; ip: string | null; userAgent: string | null },
  now = Date.now(),
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  return oneAccountAtATime(db, email, (locked) => attemptLogin(locked, config, email, input, now));
}

async function attemptLogin(
  db: Db,
  config: Config,
  email: string,
  input: { password: string; ip: string | null; userAgent: string | null },
  now: number,
): Promise<LoginResult> {
  const kysely = db.kysely;
  const since = now - LOGIN_WINDOW_MS;
  const lastSuccess = (await lastAt(kysely, 'auth.login.success', email)) ?? 0;
  const [pair, byAddress, addresses] = await Promise.all([
    pairSignIns(kysely, email, input.ip, now - PAIR_MEMORY_MS),
    input.ip ? countSince(kysely, 'auth.login.failure', { ip: input.ip }, since) : Promise.resolve(0),
    failingAddresses(kysely, email, Math.max(since, lastSuccess + 1)),
  ]);
  const user = await repo.findUserForLogin(kysely, email);
  const pairWait = pair.lastFailure === null ? 0 : pair.lastFailure + pairDelayMs(pair.failures) - now;
  const by =
    byAddress >= MAX_FAILURES_PER_ADDRESS
      ? 'address'
      : addresses >= MAX_FAILURES_PER_ACCOUNT && pair.lastSuccess === null
        ? 'account'
        : pairWait > 0
          ? 'pair'
          : null;
  if (by) {
    // One row a minute per account says it is under attack; a flood of blocked tries must not flood the log.
    const lastThrottled = await lastAt(kysely, 'auth.login.throttled', email);
    if (lastThrottled === null || lastThrottled < now - THROTTLE_LOG_EVERY_MS)
      await recordAudit(
        kysely,
        {
          workspaceId: user?.workspace_id ?? null,
          actorUserId: null, // someone typed this account's email: not known to be its owner
          action: 'auth.login.throttled',
          subject: email,
          ip: input.ip,
          detail: { by },
        },
        now,
      );
    const waitS = by === 'pair' ? Math.ceil(pairWait / 1000) : LOGIN_WINDOW_MS / 1000;
    throw tooManyRequests(
      `Too many failed sign-in attempts; wait ${waitS >= 60 ? `${Math.ceil(waitS / 60)} minutes` : `${waitS} seconds`} and try again`,
      waitS,
    );
  }
  const ok = user
    ? await verifyPassword(user.password_hash, input.password)
    : await verifyPassword(await dummyHash(), input.password);
  if (!user || !ok || user.active !== 1) {
    await recordAudit(
      kysely,
      {
        workspaceId: user?.workspace_id ?? null,
        actorUserId: null, // someone typed this account's email: not known to be its owner
        action: 'auth.login.failure',
        subject: email,
        ip: input.ip,
        detail: { reason: !user ? 'unknown_email' : !ok ? 'wrong_password' : 'inactive' },
      },
      now,
    );
    throw unauthenticated('Email or password is incorrect');
  }
  // A fresh random id at every sign-in (no session fixation); only its hash is stored.
  const token = randomBytes(32).toString('base64url');
  await db.kysely.transaction().execute(async (trx) => {
    await repo.insertSession(trx, {
      id: sha256(token),
      workspaceId: user.workspace_id,
      userId: user.id,
      now,
      expiresAt: now + config.sessionAbsoluteMs,
      ip: input.ip,
      userAgent: input.userAgent,
    });
    await recordAudit(
      trx,
      {
        workspaceId: user.workspace_id,
        actorUserId: user.id,
        action: 'auth.login.success',
        subject: email,
        ip: input.ip,
      },
      now,
    );
  });
  return { token, userId: user.id, workspaceId: user.workspace_id };
}

export interface ResolvedSession {
  sessionId: string;
  actor: Actor;
  /** The password is one an administrator set: only a few routes answer until it is changed. */
  mustChangePassword: boolean;
}

/** What the session statement reads before every request (src/modules/auth/repository.ts). */
export type SessionRow = NonNullable<Awaited<ReturnType<typeof repo.findSession>>>;

/**
 * The actor behind a cookie token, or null when the session is unknown, expired, idle too long,
 * or the user inactive. With a cache (src/modules/auth/session-cache.ts) the row read less than
 * its time ago is used instead of reading it again.
 */
export async function resolveSession(
  db: Db,
  config: Config,
  token: string,
  now = Date.now(),
  cache: SessionCache<SessionRow> | null = null,
): Promise<ResolvedSession | null> {
  const cached = cache?.get(token, now);
  let id: string;
  let session: SessionRow;
  if (cached !== undefined) ({ id, row: session } = cached);
  else {
    id = sha256(token);
    const read = await repo.findSession(db.kysely, id);
    if (!read) return null;
    session = read;
    cache?.set(token, id, session, now);
  }
  if (session.active !== 1 || session.expires_at <= now || session.last_seen_at + config.sessionIdleMs <= now) {
    cache?.delete(token);
    await repo.deleteSession(db.kysely, id);
    return null;
  }
  if (now - session.last_seen_at > TOUCH_INTERVAL_MS) {
    // Best effort: a read must neither fail nor wait because another connection is writing.
    await repo.touchSession(db.noWait, id, now).catch((err: unknown) => {
      if (!isSqliteBusy(err)) throw err;
    });
    // The kept row too, so the idle check and the next touch go by this one.
    session.last_seen_at = now;
  }
  const actor: Actor = {
    workspaceId: session.workspace_id,
    userId: session.user_id,
    role: session.role as Role,
    orgUnitId: session.org_unit_id,
    unitPath: session.unit_path,
    now,
    exportGranted: session.can_export === 1,
  };
  keepSessionReads(actor, {
    settings: session.settings,
    timeZone: session.time_zone,
    fiscalYearStartMonth: session.fiscal_year_start_month,
    workspaceName: session.workspace_name,
    userName: session.user_name,
  });
  return { sessionId: id, actor, mustChangePassword: session.must_change_password === 1 };
}

export async function logout(db: Db, sessionId: string, actor: Actor, ip: string | null): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, sessionId);
    await recordAudit(
      trx,
      { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'auth.logout', ip },
      actor.now,
    );
  });
}

export async function changeOwnPassword(
  db: Db,
  actor: Actor,
  sessionId: string,
  input: ChangePasswordRequest,
  ip: string | null,
): Promise<void> {
  const user = await repo.ownPassword(db.kysely, actor.workspaceId, actor.userId);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw invalid('currentPassword', { code: 'wrong_password' }, 'the current password is incorrect', 'wrong_password');
  }
  if (input.newPassword === input.currentPassword)
    throw invalid('newPassword', { code: 'must_differ' }, 'must differ from the current password');
  const passwordHash = await hashPassword(input.newPassword);
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'users',
      'User',
      { workspaceId: actor.workspaceId, id: actor.userId, version: user.version },
      {
        password_hash: passwordHash,
        must_change_password: 0,
        updated_at: actor.now,
      },
    );
    // Other devices signed in with the old password are signed out; this one stays.
    await repo.deleteUserSessions(trx, actor.workspaceId, actor.userId, sessionId);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'auth.password.change',
        targetType: 'user',
        targetId: actor.userId,
        ip,
      },
      actor.now,
    );
  });
}

export { sha256 as sessionIdOf };
