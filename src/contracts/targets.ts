import { z } from 'zod';
import { PERIOD_NAME_PATTERN } from '../domain/period-name.ts';

/**
 * What every live figure of docs/targets.md is computed for (quotas, funnel, forecast, gap):
 * a scope and a period. Shared by those areas so they read the same query parameters.
 *  - scope: `workspace`, `unit:<id>` (the unit and everything below it) or `user:<id>` (one
 *    person); omitted, the caller's own: a rep themselves, a manager their unit, admins and
 *    executives the workspace. A scope the caller may not see is 403, not an empty report.
 *  - period: `FY2026`, `FY2026-Q3`, `FY2026-W05` (fiscal, named by the calendar year the fiscal
 *    year starts in) or `2026-07` (a calendar month); omitted, the current fiscal quarter.
 */
export const SCOPE_PATTERN = '^(workspace|(unit|user):[1-9][0-9]{0,9})$';
export const scopeParam = z
  .string()
  .regex(new RegExp(SCOPE_PATTERN), 'must be workspace, unit:<id> or user:<id>')
  .describe("workspace, unit:<id> (its subtree) or user:<id>; default the caller's own");
export const periodParam = z
  .string()
  .regex(new RegExp(PERIOD_NAME_PATTERN), 'must be a period such as FY2026, FY2026-Q3, FY2026-W05 or 2026-07')
  .describe('FY2026, FY2026-Q3, FY2026-W05 or 2026-07; default the current fiscal quarter');

export const scopeSchema = z.object({
  kind: z.enum(['workspace', 'unit', 'user']),
  id: z.number().int().nullable(),
  name: z.string(),
});
export const periodSchema = z.object({
  name: z.string().describe('the period as the API names it'),
  kind: z.enum(['week', 'month', 'quarter', 'fiscalYear']),
  start: z.string().describe('first day, YYYY-MM-DD'),
  end: z.string().describe('the day after the last, YYYY-MM-DD'),
  weeks: z.number().int().describe('weeks the period counts (those whose Thursday lies in it)'),
  weeksLeft: z.number().int().describe('of those, the weeks not over yet, this week included'),
});

export type ScopeDto = z.infer<typeof scopeSchema>;
export type PeriodDto = z.infer<typeof periodSchema>;
