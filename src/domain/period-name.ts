import { addDays, periodAt, periodOf, weeksIn, type Calendar, type Period } from './calendar.ts';

/**
 * Periods as the API names them (docs/targets.md § Periods): `FY2026` (the fiscal year starting
 * in calendar 2026), `FY2026-Q3` (its third quarter), `FY2026-W05` (its fifth week: weeks belong
 * to the period holding their Thursday, src/domain/calendar.ts) and `2026-07` (a calendar month).
 * Fiscal names carry the FY prefix because a fiscal year starting in April does not match the
 * calendar year; months are calendar months in every workspace.
 */
const PATTERN = /^(?:FY(\d{4})(?:-Q([1-4])|-W(\d{2}))?|(\d{4})-(0[1-9]|1[0-2]))$/;

export const PERIOD_NAME_PATTERN = PATTERN.source;

/** The period a name denotes, or null when it does not parse (or names a week the year does not have). */
export function parsePeriod(name: string, cal: Calendar): Period | null {
  const match = PATTERN.exec(name);
  if (!match) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (match[4]) return periodOf('month', `${match[4]}-${match[5]}-01`, cal);
  const fy = Number(match[1]);
  if (fy < 1970 || fy > 9998) return null;
  const fyStart = `${fy}-${pad(cal.fiscalYearStartMonth)}-01`;
  const year = periodOf('fiscalYear', fyStart, cal);
  if (match[2]) return periodOf('quarter', addMonthsTo(fyStart, (Number(match[2]) - 1) * 3), cal);
  if (match[3]) {
    const week = Number(match[3]);
    if (week < 1 || week > weeksIn(year)) return null;
    // Week 1 holds the first Thursday on or after the fiscal year's first day.
    const firstThursday = thursdayOnOrAfter(fyStart);
    return periodOf('week', addDays(firstThursday, 7 * (week - 1)), cal);
  }
  return year;
}

/** The API's name of a period (the inverse of parsePeriod). */
export function periodName(period: Period): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (period.kind) {
    case 'fiscalYear':
      return `FY${period.fiscalYear}`;
    case 'quarter':
      return `FY${period.fiscalYear}-Q${period.index}`;
    case 'week':
      return `FY${period.fiscalYear}-W${pad(period.index)}`;
    case 'month':
      return period.start.slice(0, 7);
  }
}

/** The current fiscal quarter: what a report shows when no period is asked for. */
export const currentQuarter = (now: number, cal: Calendar): Period => periodAt('quarter', now, cal);

function addMonthsTo(monthStart: string, months: number): string {
  const [year, month] = monthStart.split('-').map(Number) as [number, number];
  const date = new Date(Date.UTC(year, month - 1 + months, 1));
  return date.toISOString().slice(0, 10);
}

function thursdayOnOrAfter(date: string): string {
  const dow = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  return addDays(date, (3 - dow + 7) % 7);
}
