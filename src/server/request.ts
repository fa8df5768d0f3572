import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/policy.ts';
import { unauthenticated } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
  }
}

/** The signed-in actor; routes declared 'public' must not call this. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthenticated();
  return req.actor;
}

export function sessionOf(req: FastifyRequest): string {
  if (!req.sessionId) throw unauthenticated();
  return req.sessionId;
}

export const ipOf = (req: FastifyRequest): string | null => req.ip ?? null;

export const SESSION_COOKIE = 'keyline_session';

/** Sets the session cookie (sign-in, first-run setup): HTTP-only, SameSite=Lax, Secure over HTTPS. */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, maxAgeMs: number) {
  const secure = req.server.config.secureCookies === 'always' || req.protocol === 'https';
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}
