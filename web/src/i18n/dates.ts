/**
 * Every date and time the web app shows or sends, in the workspace's time zone (docs/DESIGN.md §
 * Time and the calendar): the server judges "today", "overdue" and date filters there, so a
 * browser in another zone must show the same dates. The one module that imports dayjs as a
 * value or formats an instant (a lint rule, eslint.config.js, holds the rest of web/src to it);
 * components take these through `useDates()`.
 */
import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';
import 'dayjs/locale/zh-cn.js';
import 'dayjs/locale/en.js';
import { addDays, dateIn, daysBetween, type IsoDate } from '../../../src/domain/calendar.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

/** How an instant is written: numeric and the same in both languages, as the tables always showed them. */
const PATTERNS = {
  date: 'YYYY-MM-DD',
  dateTime: 'YYYY-MM-DD HH:mm',
  dateTimeSeconds: 'YYYY-MM-DD HH:mm:ss',
  monthDay: 'MM-DD',
  monthDayTime: 'MM-DD HH:mm',
  time: 'HH:mm',
} as const;
export type DateStyle = keyof typeof PATTERNS;

/** An instant (epoch ms) as the wall clock of a zone shows it. */
export function formatInstant(instant: number, timeZone: string, style: DateStyle = 'date'): string {
  return dayjs(instant).tz(timeZone).format(PATTERNS[style]);
}

/**
 * The zone antd's date pickers call "now" in (their today cell, "Today" and "Now" buttons and the
 * month they open on): antd asks dayjs for the default zone when the timezone plugin is loaded.
 * Set by the session gate before any page renders.
 */
export function followWorkspaceZone(timeZone: string): void {
  dayjs.tz.setDefault(timeZone);
}

/** Month and weekday names in antd's date pickers follow the interface language. */
export function followLanguage(locale: 'zh-CN' | 'en-US'): void {
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
}

/** A calendar date as the reader's language writes it ("12月7日 周一", "Mon, Dec 7"): a date has no zone. */
export function dayLabel(date: IsoDate, locale: string, weekday = true): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(weekday ? { weekday: 'short' } : {}),
  }).format(Date.parse(`${date}T00:00:00Z`));
}

/** The month before a `YYYY-MM` month. */
export function monthBefore(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthNumber === 1 ? `${year - 1}-12` : `${year}-${String(monthNumber - 1).padStart(2, '0')}`;
}

/**
 * Dates in one workspace's zone. Pickers: antd's date pickers hold dayjs values; a picked day is
 * that calendar day in the workspace (sent as `YYYY-MM-DD`, which the server reads in its zone),
 * and a picked date and time is that wall-clock time in the workspace (sent as the instant).
 */
export interface WorkspaceDates {
  timeZone: string;
  /** The workspace's today, as the server judges "overdue". */
  today(): IsoDate;
  /** `days` after the workspace's today (negative: before). */
  fromToday(days: number): IsoDate;
  /** The workspace's calendar date of an instant. */
  dateOf(instant: number): IsoDate;
  /** Whole calendar days from an instant's date to today (0 today, 1 yesterday). */
  daysSince(instant: number): number;
  /** The hour (0–23) of the workspace's clock now. */
  hourNow(): number;
  /** An instant as the workspace's clock shows it; no instant (null, 0) gives null. */
  format(instant: number, style?: DateStyle): string;
  format(instant: number | null | undefined, style?: DateStyle): string | null;
  /** A picker value for a calendar date (`YYYY-MM-DD` or `YYYY-MM`). */
  pickerDay(date: string): Dayjs;
  pickerDay(date: string | null | undefined): Dayjs | null;
  /** The calendar date a picker shows; an empty picker gives null. */
  pickedDay(value: Dayjs): IsoDate;
  pickedDay(value: Dayjs | null | undefined): IsoDate | null;
  /** The month (`YYYY-MM`) a picker shows. */
  pickedMonth(value: Dayjs): string;
  /** A picker value showing an instant on the workspace's clock. */
  pickerTime(instant: number): Dayjs;
  /** A picker value for a date and wall-clock time (`HH:mm`) in the workspace. */
  pickerAt(date: IsoDate, time: string): Dayjs;
  /** The instant of the date and time a picker shows, read on the workspace's clock. */
  pickedTime(value: Dayjs): number;
}

export function datesIn(timeZone: string): WorkspaceDates {
  const today = () => dateIn(Date.now(), timeZone);
  // The wall clock a picker shows, whatever zone its value carries, read again in the workspace's.
  const inZone = (wallClock: string) => dayjs.tz(wallClock, timeZone);
  return {
    timeZone,
    today,
    fromToday: (days) => addDays(today(), days),
    dateOf: (instant) => dateIn(instant, timeZone),
    daysSince: (instant) => daysBetween(dateIn(instant, timeZone), today()),
    hourNow: () => dayjs().tz(timeZone).hour(),
    format: ((instant: number | null | undefined, style?: DateStyle) =>
      instant ? formatInstant(instant, timeZone, style) : null) as WorkspaceDates['format'],
    pickerDay: ((date: string | null | undefined) =>
      date ? inZone(date.length === 7 ? `${date}-01` : date) : null) as WorkspaceDates['pickerDay'],
    pickedDay: ((value: Dayjs | null | undefined) =>
      value ? value.format(PATTERNS.date) : null) as WorkspaceDates['pickedDay'],
    pickedMonth: (value) => value.format('YYYY-MM'),
    pickerTime: (instant) => dayjs(instant).tz(timeZone),
    pickerAt: (date, time) => inZone(`${date} ${time}`),
    pickedTime: (value) => inZone(value.format('YYYY-MM-DDTHH:mm:ss.SSS')).valueOf(),
  };
}
