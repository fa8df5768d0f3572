import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Config } from '../config.ts';
import { resolveSession, type SessionRow } from '../modules/auth/service.ts';
import { sessionCache } from '../modules/auth/session-cache.ts';
import { recordRefusal } from '../modules/audit/service.ts';
import { can } from '../domain/policy.ts';
import { AUDITED_REFUSALS, REFUSALS } from './access.ts';
import { AppError, forbidden, unauthenticated } from './problem.ts';
import { SESSION_COOKIE } from './request.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: a state-changing request is refused when the browser says it
 * comes from another site (Fetch Metadata `Sec-Fetch-Site`, or an `Origin` that is not this
 * host). Scripts and integrations send neither header and are not affected; the session
 * cookie is also SameSite=Lax. This is the header-based defence OWASP recommends and the
 * one Go's net/http CrossOriginProtection implements.
 */
export function checkCrossSite(req: FastifyRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    throw new AppError('cross_site_request', 'Cross-site requests are not allowed');
  }
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new AppError('cross_site_request', 'Malformed Origin header');
    }
    if (host !== req.headers.host) throw new AppError('cross_site_request', 'Cross-site requests are not allowed');
  } else if (origin === 'null') {
    throw new AppError('cross_site_request', 'Cross-site requests are not allowed');
  }
}

/**
 * Resolves the session and enforces the route's access declaration (src/server/access.ts)
 * before the body is even parsed. Sessions' rows are kept for config.sessionCacheMs
 * (src/modules/auth/session-cache.ts); a state-changing request empties that cache when it
 * starts and when it has answered, so what it changed (a sign-out, a user, a unit, the rules)
 * holds from this process's next request.
 */
export function installAuthHooks(app: FastifyInstance, db: Db, config: Config): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  const sessions = sessionCache<SessionRow>(config.sessionCacheMs);
  if (sessions)
    app.addHook('onResponse', (req, _reply, done) => {
      if (!SAFE_METHODS.has(req.method)) sessions.clear();
      done();
    });
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const access = req.routeOptions.config.access;
    if (!req.url.startsWith('/api/')) return;
    checkCrossSite(req);
    if (sessions && !SAFE_METHODS.has(req.method)) sessions.clear();
    const token = req.cookies[SESSION_COOKIE];
    let mustChangePassword = false;
    if (token) {
      const resolved = await resolveSession(db, config, token, app.clock(), sessions);
      if (resolved) {
        req.actor = resolved.actor;
        req.sessionId = resolved.sessionId;
        mustChangePassword = resolved.mustChangePassword;
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    if (access === undefined) {
      // Unknown /api paths fall through to the not-found handler, which has no route config.
      if (req.routeOptions.url === undefined) return;
      throw new AppError('no_access_declaration', `Route ${req.routeOptions.url} declares no access`);
    }
    if (access === 'public') return;
    if (!req.actor) throw unauthenticated();
    if (mustChangePassword && !req.routeOptions.config.beforePasswordChange) {
      throw new AppError(
        'password_change_required',
        'Change the password an administrator set before going on (POST /api/v1/auth/password)',
      );
    }
    if (access === 'authenticated' || can(req.actor, access.capability)) return;
    const { capability } = access;
    if (AUDITED_REFUSALS.has(capability)) {
      await recordRefusal(
        db,
        req.actor,
        capability,
        { route: `${req.method} ${req.routeOptions.url}`, query: req.query ?? {} },
        req.ip ?? null,
      );
    }
    throw REFUSALS[capability]?.() ?? forbidden();
  });
}
