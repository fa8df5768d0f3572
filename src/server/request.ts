import type { FastifyRequest } from 'fastify';
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
