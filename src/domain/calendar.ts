/**
 * Days, weeks and periods in the workspace time zone (docs/organisation.md, §6): the one place that turns
 * an instant into a calendar date and a period into the instants a query compares with.
 * Pure: the caller passes the instant (`now`) and the zone; nothing here reads the clock.
 *
 * Calendar dates are `YYYY-MM-DD` text; date arithmetic runs on UTC midnights, where every
 * day has 24 hours, and only the conversion to and from instants looks at the zone (through
 * Intl.DateTimeFormat, which carries the IANA zone rules and their daylight-saving changes).
 */

export type IsoDate = string;

/** How a workspace counts time: its IANA zone and the month (1–12) its fiscal year starts in. */
export interface Calendar {
  timeZone: string;
  fiscalYearStartMonth: number;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Wall clocks already worked out, per zone, by the instant's second (the fields go to the second,
 * so the answer is the same for every instant of it). formatToParts costs microseconds, and a
 * list answers the same few instants over and over — the request's now for every row, the
 * midnights startOfDay probes, the same accounts' follow-ups on every visit to the desk: a
 * profile of the overdue-accounts desk card put a fifth of its own CPU here. Emptied when full.
 */
const wallClocks = new Map<string, Map<number, number>>();
const WALL_CLOCKS_KEPT = 10_000;

/** Wall-clock fields of an instant in a zone, as if they were UTC (to subtract from the instant). */
function wallClock(instant: number, timeZone: string): number {
  const second = Math.floor(instant / 1000);
  let known = wallClocks.get(timeZone);
  const kept = known?.get(second);
  if (kept !== undefined) return kept;
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(second * 1000)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  if (known === undefined) wallClocks.set(timeZone, (known = new Map()));
  if (known.size >= WALL_CLOCKS_KEPT) known.clear();
  known.set(second, wall);
  return wall;
}

/** The zone's offset from UTC at an instant, in milliseconds (Shanghai: +8 h). */
export function offsetAt(instant: number, timeZone: string): number {
  return wallClock(Math.floor(instant / 1000) * 1000, timeZone) - Math.floor(instant / 1000) * 1000;
}

/** Whether the zone is one Intl knows (a workspace setting is checked with this). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/**
 * Each day's text already written, by its UTC day number: a list writes the same few dates
 * for every row (the request's today, the rows' due dates) and a profile of the account list
 * put building them — a Date and three paddings each — at a twentieth of its own CPU. Emptied
 * when full, as the wall clocks.
 */
const dayTexts = new Map<number, IsoDate>();
const utcDate = (ms: number): IsoDate => {
  const day = Math.floor(ms / DAY);
  let text = dayTexts.get(day);
  if (text === undefined) {
    const date = new Date(day * DAY);
    text = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
    if (dayTexts.size >= WALL_CLOCKS_KEPT) dayTexts.clear();
    dayTexts.set(day, text);
  }
  return text;
};
const utcMidnight = (date: IsoDate): number => {
  // YYYY-MM-DD read by position (splitting it cost more than the rest of a date's arithmetic).
  if (date.length === 10 && date[4] === '-' && date[7] === '-')
    return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day);
};

/** The calendar date of an instant in a zone: 2026-03-01T17:30Z is 2026-03-02 in Shanghai. */
export function dateIn(instant: number, timeZone: string): IsoDate {
  return utcDate(wallClock(instant, timeZone));
}

/**
 * The first instant of a calendar day in a zone. Where the clocks skip midnight (a
 * daylight-saving change at 00:00), the day starts when they resume; where midnight happens
 * twice, at the first.
 */
export function startOfDay(date: IsoDate, timeZone: string): number {
  const midnight = utcMidnight(date);
  const before = midnight - offsetAt(midnight - DAY, timeZone);
  const after = midnight - offsetAt(midnight + DAY, timeZone);
  const valid = [before, after].filter((c) => wallClock(c, timeZone) === midnight).sort((a, b) => a - b);
  // No candidate shows 00:00: midnight fell into the gap, and the day begins at the change.
  return valid[0] ?? before;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return utcDate(utcMidnight(date) + days * DAY);
}

/** The last day of the calendar month of a date: the day before the next month's first. */
export function monthEnd(date: IsoDate): IsoDate {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/** Whole days from a to b (negative when b is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY);
}

/** 1 = Monday … 7 = Sunday (weeks start on Monday, docs/organisation.md). */
export function weekday(date: IsoDate): number {
  return ((new Date(utcMidnight(date)).getUTCDay() + 6) % 7) + 1;
}

export const mondayOf = (date: IsoDate): IsoDate => addDays(date, 1 - weekday(date));

export type PeriodKind = 'week' | 'month' | 'quarter' | 'fiscalYear';

/**
 * A period: its days [start, end) and the instants [from, to) they span in the zone, which is
 * what a query compares timestamps with. `fiscalYear` is named by the calendar year it starts
 * in (an April year starting 2026-04-01 is FY2026); `index` is the week of the fiscal year, the
 * calendar month, the fiscal quarter (1–4), or 1 for the year.
 */
export interface Period {
  kind: PeriodKind;
  start: IsoDate;
  end: IsoDate;
  from: number;
  to: number;
  fiscalYear: number;
  index: number;
}

function fiscalYearStart(date: IsoDate, startMonth: number): IsoDate {
  const [dateYear, month] = date.split('-').map(Number) as [number, number];
  const year = month >= startMonth ? dateYear : dateYear - 1;
  return `${pad(year, 4)}-${pad(startMonth)}-01`;
}

const addMonths = (monthStart: IsoDate, months: number): IsoDate => {
  const [year, month] = monthStart.split('-').map(Number) as [number, number];
  const date = new Date(Date.UTC(year, month - 1 + months, 1));
  return utcDate(date.getTime());
};

/**
 * Weeks belong to the period that holds their Thursday, as ISO 8601 weeks belong to a year:
 * every week is counted in exactly one month, quarter and fiscal year, a quarter has 13 weeks
 * (sometimes 14), a year 52 or 53, and with a January fiscal year the week numbers are ISO's.
 */
const thursdayOf = (date: IsoDate): IsoDate => addDays(mondayOf(date), 3);

/** The period of a kind that holds a calendar date. */
export function periodOf(kind: PeriodKind, date: IsoDate, cal: Calendar): Period {
  const fyStart = fiscalYearStart(date, cal.fiscalYearStartMonth);
  const fiscalYear = Number(fyStart.slice(0, 4));
  let start: IsoDate;
  let end: IsoDate;
  let index: number;
  let fy = fiscalYear;
  switch (kind) {
    case 'week': {
      start = mondayOf(date);
      end = addDays(start, 7);
      ({ fiscalYear: fy, week: index } = fiscalWeek(date, cal));
      break;
    }
    case 'month':
      start = `${date.slice(0, 7)}-01`;
      end = addMonths(start, 1);
      index = Number(date.slice(5, 7));
      break;
    case 'quarter': {
      const monthsIn =
        (Number(date.slice(0, 4)) - fiscalYear) * 12 + Number(date.slice(5, 7)) - cal.fiscalYearStartMonth;
      index = Math.floor(monthsIn / 3) + 1;
      start = addMonths(fyStart, (index - 1) * 3);
      end = addMonths(start, 3);
      break;
    }
    case 'fiscalYear':
      start = fyStart;
      end = addMonths(fyStart, 12);
      index = 1;
      break;
  }
  return {
    kind,
    start,
    end,
    from: startOfDay(start, cal.timeZone),
    to: startOfDay(end, cal.timeZone),
    fiscalYear: fy,
    index,
  };
}

/** The period of a kind that holds an instant, in the workspace zone. */
export function periodAt(kind: PeriodKind, instant: number, cal: Calendar): Period {
  return periodOf(kind, dateIn(instant, cal.timeZone), cal);
}

/**
 * The week of the fiscal year a date falls in (1-based), and that fiscal year: week 1 is the
 * week whose Thursday is the first Thursday of the fiscal year, so the first days of a fiscal
 * year may still be the last week of the year before.
 */
export function fiscalWeek(date: IsoDate, cal: Calendar): { fiscalYear: number; week: number } {
  const thursday = thursdayOf(date);
  const fyStart = fiscalYearStart(thursday, cal.fiscalYearStartMonth);
  const firstThursday = thursdayOf(addDays(fyStart, 3));
  return { fiscalYear: Number(fyStart.slice(0, 4)), week: daysBetween(firstThursday, thursday) / 7 + 1 };
}

/** The weeks a period counts: those whose Thursday lies in it. */
export function weeksIn(period: Pick<Period, 'start' | 'end'>): number {
  return weeksFrom(period.start, period);
}

/**
 * Weeks left in a period on a date, the current week included when the period counts it
 * (docs/targets.md § Revenue forecast "quota × r × weeks left"): 0 once the weeks the period counts are over.
 */
export function weeksLeft(period: Pick<Period, 'start' | 'end'>, date: IsoDate): number {
  return weeksFrom(date < period.start ? period.start : date, period);
}

function weeksFrom(date: IsoDate, period: Pick<Period, 'start' | 'end'>): number {
  let first = thursdayOf(date);
  if (first < period.start) first = addDays(first, 7);
  if (first >= period.end) return 0;
  // The last Thursday before the end: the week of the day before the end, or the one before it.
  let last = thursdayOf(addDays(period.end, -1));
  if (last >= period.end) last = addDays(last, -7);
  return last < first ? 0 : daysBetween(first, last) / 7 + 1;
}
