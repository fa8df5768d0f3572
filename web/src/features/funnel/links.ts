import type { FunnelResponse } from '../../../../src/contracts/funnel.ts';
import { addDays } from '../../../../src/domain/calendar.ts';

/**
 * Every number of the funnel opens the opportunity list filtered to the deals behind it
 * (docs/targets.md § Funnel): the process, open, the scope as owner or unit subtree, the
 * period's close dates (the list's closeTo is inclusive, the period's end is not), the business
 * line, and a
 * stage, a person or a size class when the number is one of theirs.
 */
export function drillDown(
  funnel: Pick<FunnelResponse, 'scope' | 'process' | 'closeFrom' | 'closeTo' | 'line'>,
  extra: { stageId?: number; ownerId?: number; sizeClass?: 'small' | 'large' } = {},
): string {
  const params = new URLSearchParams({ status: 'open' });
  if (funnel.process) params.set('processId', String(funnel.process.id));
  if (extra.ownerId !== undefined) params.set('ownerId', String(extra.ownerId));
  else if (funnel.scope.kind === 'user' && funnel.scope.id !== null) params.set('ownerId', String(funnel.scope.id));
  else if (funnel.scope.kind === 'unit' && funnel.scope.id !== null) params.set('orgUnitId', String(funnel.scope.id));
  if (funnel.closeFrom) params.set('closeFrom', funnel.closeFrom);
  if (funnel.closeTo) params.set('closeTo', addDays(funnel.closeTo, -1));
  // A funnel narrowed to a business line: the list by the same stamped line, so their counts agree.
  if (funnel.line !== null) params.set('line', funnel.line);
  if (extra.stageId !== undefined) params.set('stageId', String(extra.stageId));
  if (extra.sizeClass) params.set('sizeClass', extra.sizeClass);
  return `/opportunities/list?${params.toString()}`;
}

/** The periods offered: the fiscal year of the current quarter, its quarters, the next quarter, every open deal. */
export function periodChoices(current: string | undefined): string[] {
  const match = /^FY(\d{4})-Q([1-4])$/.exec(current ?? '');
  if (!match) return ['all'];
  const fy = Number(match[1]);
  return [`FY${fy}-Q1`, `FY${fy}-Q2`, `FY${fy}-Q3`, `FY${fy}-Q4`, `FY${fy + 1}-Q1`, `FY${fy}`, 'all'];
}
