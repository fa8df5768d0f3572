/**
 * The web app's dates are the workspace's, whatever the browser's zone (web/src/i18n/dates.ts,
 * issue 11): this process pretends to be a browser in Los Angeles looking at a Shanghai workspace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

// Node re-reads the zone when TZ is assigned; every Date below runs in Los Angeles.
process.env.TZ = 'America/Los_Angeles';
const { datesIn, dayLabel, formatInstant, monthBefore } = await import('../../web/src/i18n/dates.ts');
const { dateIn } = await import('../../src/domain/calendar.ts');

const SHANGHAI = 'Asia/Shanghai';
// 2026-03-01 17:30 UTC: 09:30 on 1 March in Los Angeles, 01:30 on 2 March in Shanghai.
const LATE = Date.UTC(2026, 2, 1, 17, 30);
const dates = datesIn(SHANGHAI);

test('the process really runs in another zone than the workspace', () => {
  assert.equal(new Date(LATE).getDate(), 1, 'a date computed the browser way is 1 March here');
});

test('an instant is written on the workspace clock', () => {
  assert.equal(formatInstant(LATE, SHANGHAI), '2026-03-02');
  assert.equal(dates.format(LATE, 'dateTime'), '2026-03-02 01:30');
  assert.equal(dates.format(LATE + 5_000, 'dateTimeSeconds'), '2026-03-02 01:30:05');
  assert.equal(dates.format(LATE, 'monthDayTime'), '03-02 01:30');
  assert.equal(dates.format(LATE, 'time'), '01:30');
  assert.equal(dates.format(null), null);
  assert.equal(datesIn('America/Los_Angeles').format(LATE, 'dateTime'), '2026-03-01 09:30', 'the zone decides');
});

test("today, days since and the hour are the workspace's", () => {
  assert.equal(dates.today(), dateIn(Date.now(), SHANGHAI));
  assert.equal(dates.fromToday(30) > dates.today(), true);
  assert.equal(dates.dateOf(LATE), '2026-03-02');
  const hour = Number(
    new Intl.DateTimeFormat('en-US', { timeZone: SHANGHAI, hour: 'numeric', hourCycle: 'h23' }).format(Date.now()),
  );
  assert.equal(dates.hourNow(), hour);
  const yesterdayLate = Date.now() - 86_400_000;
  assert.equal(dates.daysSince(yesterdayLate), 1);
  assert.equal(dates.daysSince(Date.now()), 0);
});

test('a picked day is that calendar day, a picked time that wall-clock time in the workspace', () => {
  const day = dates.pickerDay('2026-03-02');
  assert.equal(dates.pickedDay(day), '2026-03-02');
  assert.equal(dates.pickedMonth(dates.pickerDay('2026-03')), '2026-03');
  assert.equal(dates.pickerDay(null), null);

  const shown = dates.pickerTime(LATE);
  assert.equal(shown.format('YYYY-MM-DD HH:mm'), '2026-03-02 01:30', 'the picker shows the workspace clock');
  assert.equal(dates.pickedTime(shown), LATE, 'and gives the same instant back');
  assert.equal(dates.pickedTime(dates.pickerTime(LATE + 1_234)), LATE + 1_234, 'to the millisecond');
  // The person changes the day across Los Angeles' daylight-saving change (8 March) and the hour.
  const moved = shown.date(20).hour(9);
  assert.equal(dates.pickedTime(moved), Date.UTC(2026, 2, 20, 1, 30), '09:30 on 20 March in Shanghai');
  assert.equal(dates.pickedTime(dates.pickerAt('2026-07-01', '10:00')), Date.UTC(2026, 6, 1, 2, 0));
});

test('calendar dates and months need no zone', () => {
  assert.equal(dayLabel('2026-03-02', 'en-US'), 'Mon, Mar 2');
  assert.equal(dayLabel('2026-03-02', 'zh-CN', false), '3月2日');
  assert.equal(monthBefore('2026-01'), '2025-12');
  assert.equal(monthBefore('2026-10'), '2026-09');
});
