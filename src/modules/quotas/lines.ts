import type { Db } from '../../db/database.ts';
import type * as contract from '../../contracts/quotas.ts';
import { NO_LINE } from '../../domain/business-lines.ts';
import { dateIn } from '../../domain/calendar.ts';
import type { Actor } from '../../domain/policy.ts';
import type { QuotaBasis } from '../../domain/quota.ts';
import { lineTotals } from '../funnel/service.ts';
import { periodDto, resolvePeriod, resolveScope, scopeDto } from '../targets/scope.ts';
import { loadRules } from '../workspace/service.ts';
import { quotaFor } from './service.ts';

/**
 * GET /quotas/lines: quota attainment by business line (docs/targets.md § Business lines) —
 * each line's part of the scope's quota (the quota's category of that key) against what the
 * line won in the period, beside its open deals; the deals of no line on their own row.
 */
export async function quotaLines(
  db: Db,
  actor: Actor,
  query: { scope?: string | undefined; period?: string | undefined; basis?: QuotaBasis | undefined },
): Promise<contract.QuotaLines> {
  const { settings, calendar } = await loadRules(db.kysely, actor);
  const period = resolvePeriod(query.period, calendar, actor.now);
  const scope = await resolveScope(db.kysely, actor, query.scope);
  const basis = query.basis ?? 'tax_inclusive';
  const [quota, totals] = await Promise.all([
    quotaFor(db.kysely, actor.workspaceId, scope, period, { basis }),
    lineTotals(db, actor.workspaceId, scope, period, dateIn(actor.now, calendar.timeZone)),
  ]);
  const figuresOf = (key: string) => {
    const line = totals.get(key);
    return {
      realised: line?.realised ?? 0,
      won: line?.won ?? 0,
      open: line?.open ?? 0,
      openAmount: line?.amount ?? 0,
      expectedAmount: line?.expectedAmount ?? 0,
    };
  };
  const lines = settings.businessLines.map((line) => {
    const lineQuota = quota.categories[line.key] ?? 0;
    const figures = figuresOf(line.key);
    return {
      key: line.key,
      nameZh: line.nameZh,
      nameEn: line.nameEn,
      quota: lineQuota,
      ...figures,
      attainment: lineQuota > 0 ? figures.realised / lineQuota : null,
    };
  });
  const realised = [...totals.values()].reduce((sum, line) => sum + line.realised, 0);
  return {
    scope: scopeDto(scope),
    period: periodDto(period, calendar, actor.now),
    basis,
    lines,
    noLine: figuresOf(NO_LINE),
    total: {
      quota: quota.amount,
      unassignedQuota: quota.amount - lines.reduce((sum, line) => sum + line.quota, 0),
      realised,
      attainment: quota.amount > 0 ? realised / quota.amount : null,
    },
  };
}
