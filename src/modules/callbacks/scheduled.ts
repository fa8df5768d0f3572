import type { Db } from '../../db/database.ts';
import { addDays, dateIn, periodOf } from '../../domain/calendar.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';
import { drawSample } from './service.ts';

/**
 * The monthly callback draw as a job (docs/rhythm.md § Callback audit): a manager need not
 * remember to draw a finished month. For every workspace it draws the last month for each rep
 * not drawn yet — by a manager's hand or a run before — with the same seeded sample a manual
 * draw takes, so who draws changes nothing; a month already drawn is a no-op (no write, no audit
 * entry). It waits a few days into the new month: the last days' visits are often logged late.
 */
export const CALLBACK_DRAW_JOB = 'callbacks.draw';
export const DRAW_AFTER_DAYS = 2;

export async function drawLastMonths(
  db: Db,
  now: number,
  batching: { sqliteWorker?: boolean; batchRows?: number | undefined } = {},
): Promise<string> {
  const parts: string[] = [];
  for (const workspaceId of await repo.workspaceIds(db.kysely)) {
    const { settings, calendar } = await loadRules(db.kysely, workspaceId);
    // The month before the one DRAW_AFTER_DAYS ago: on the 1st and 2nd that is the month before last (drawn already).
    const current = periodOf('month', addDays(dateIn(now, calendar.timeZone), -DRAW_AFTER_DAYS), calendar);
    const month = periodOf('month', addDays(current.start, -1), calendar);
    const period = month.start.slice(0, 7);
    // The auditor first: without one the month's visits need not be read (at the scale set a
    // statement of 2-6 s of a core, every 6 hours, beside other users' requests: issue 8).
    const auditor = await repo.activeAuditor(db.kysely, workspaceId, undefined);
    if (!auditor) {
      if (await repo.anyVisitOfMonth(db.kysely, workspaceId, { kind: 'workspace' }, month.from, month.to))
        parts.push(`ws${workspaceId} ${period}: no active auditor`);
      continue;
    }
    const visits = await repo.visitsOfMonth(db.kysely, workspaceId, { kind: 'workspace' }, month.from, month.to);
    if (visits.length === 0) continue;
    const drawn = await drawSample(
      db,
      { workspaceId, userId: null, now },
      { period, visits, auditorId: auditor.id, ratePercent: settings.callbackRatePercent, calendar },
      null,
      batching,
    );
    if (drawn.created > 0) parts.push(`ws${workspaceId} ${period}: ${drawn.created} callbacks`);
  }
  return parts.length ? parts.join('; ') : 'nothing to draw';
}
