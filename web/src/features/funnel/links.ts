import type { FunnelResponse } from '../../../../src/contracts/funnel.ts';

/**
 * Every number of the funnel opens the opportunity list filtered to the deals behind it
 * (docs/targets.md § Funnel): the process, open, the scope as owner or unit subtree, the
 * period's close dates (the list's closeTo is inclusive, the period's end is not), and a
 * stage, a person or a size class when the number is one of theirs.
 */
export function drillDown(f: Pick<FunnelResponse, 'scope' | 'process' | 'closeFrom' | 'closeTo'>, extra: { stageId?: number; ownerId?: number; sizeClass?: 'small' | 'large' } = {}): string {
  const q = new URLSearchParams({ status: 'open' });
  if (f.process) q.set('processId', String(f.process.id));
  if (extra.ownerId !== undefined) q.set('ownerId', String(extra.ownerId));
  else if (f.scope.kind === 'user' && f.scope.id !== null) q.set('ownerId', String(f.scope.id));
  else if (f.scope.kind === 'unit' && f.scope.id !== null) q.set('orgUnitId', String(f.scope.id));
  if (f.closeFrom) q.set('closeFrom', f.closeFrom);
  if (f.closeTo) q.set('closeTo', dayBefore(f.closeTo));
  if (extra.stageId !== undefined) q.set('stageId', String(extra.stageId));
  if (extra.sizeClass) q.set('sizeClass', extra.sizeClass);
  return `/opportunities/list?${q.toString()}`;
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The periods offered: the fiscal year of the current quarter, its quarters, the next quarter, every open deal. */
export function periodChoices(current: string | undefined): string[] {
  const m = /^FY(\d{4})-Q([1-4])$/.exec(current ?? '');
  if (!m) return ['all'];
  const fy = Number(m[1]);
  return [`FY${fy}-Q1`, `FY${fy}-Q2`, `FY${fy}-Q3`, `FY${fy}-Q4`, `FY${fy + 1}-Q1`, `FY${fy}`, 'all'];
}
