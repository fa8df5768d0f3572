import type { Capability } from '../contracts/capabilities.ts';
import { AppError } from './problem.ts';

/**
 * Who may call a route. Every route declares one in `config.access`; a route without it is
 * refused at start-up, and test/api/route-access.snapshot.json records all of them (with the
 * roles that hold each capability) so a change of who can reach an endpoint shows in review.
 *  - 'public':        no session needed (sign-in, setup, health, OpenAPI)
 *  - 'authenticated': any signed-in, active user
 *  - { capability }:  signed in and holding it — decided by `capabilities` in src/domain/policy.ts
 * The declaration is the coarse gate; services still check each record against the
 * caller's scope and per-record rights (src/domain/policy.ts).
 */
export type Access = 'public' | 'authenticated' | { readonly capability: Capability };

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

/** The access declaration of a route that needs `capability`. */
export const needs = (capability: Capability): Access => ({ capability });

/** Capabilities whose every refusal is written to the audit log as `<capability>.denied` (docs/method.md § The four problems, §3.4). */
export const AUDITED_REFUSALS: ReadonlySet<Capability> = new Set(['export']);

/** What a refusal says, where a generic 403 would not tell the user what to ask for. */
export const REFUSALS: Partial<Record<Capability, () => AppError>> = {
  export: () =>
    new AppError(
      'export_not_permitted',
      'Exporting lists is not enabled for your account; ask an administrator (docs/archive.md § Import and export)',
    ),
};
