import type { Role } from '../domain/roles.ts';

/**
 * Who may call a route. Every route declares one in `config.access`; a route without it is
 * refused at start-up, and test/api/route-access.snapshot.json records all of them so a
 * change of who can reach an endpoint shows in review.
 *  - 'public':        no session needed (sign-in, setup, health, OpenAPI)
 *  - 'authenticated': any signed-in, active user
 *  - Role[]:          signed in with one of these roles
 * The declaration is the coarse gate; services still check each record against the
 * caller's scope (src/domain/policy.ts).
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * The route answers a user who must first change an administrator-set password (who
     * I am, change password, sign out); every other route refuses them with 403
     * password_change_required.
     */
    beforePasswordChange?: true;
  }
}

export const ANY_SIGNED_IN: Access = 'authenticated';
export const ADMIN_ONLY: Access = ['admin'];
