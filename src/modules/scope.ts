import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Database } from '../db/schema.ts';
import { unitReach, type Actor } from '../domain/policy.ts';

/**
 * Turns the policy's unit reach (src/domain/policy.ts) into a WHERE condition on a query
 * that has `org_units` joined (or selected). Repositories call this for every read of
 * unit-scoped rows, so the rule exists once. Paths hold only digits and '/', so the LIKE
 * prefix needs no escaping.
 */
export function withinReach<DB extends Pick<Database, 'org_units'>, TB extends keyof DB & 'org_units'>(
  actor: Actor,
): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const reach = unitReach(actor);
  return (eb) => {
    const e = eb as unknown as ExpressionBuilder<Pick<Database, 'org_units'>, 'org_units'>;
    const ws = e('org_units.workspace_id', '=', actor.workspaceId);
    if (reach.kind === 'workspace') return ws;
    if (reach.kind === 'subtree') return e.and([ws, e('org_units.path', 'like', `${reach.path}%`)]);
    return e.and([ws, e('org_units.id', '=', reach.unitId)]);
  };
}
