import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  dateIn,
  daysBetween,
  fiscalWeek,
  periodAt,
  periodOf,
  startOfDay,
  weekday,
  weeksIn,
  weeksLeft,
  type Calendar,
} from '../../src/domain/calendar.ts';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const shanghai: Calendar = { timeZone: 'Asia/Shanghai', fiscalYearStartMonth: 1 };
const newYork: Calendar = { timeZone: 'America/New_York', fiscalYearStartMonth: 1 };

describe('calendar: days in the workspace zone', () => {
  it('dates an instant in the zone, not in UTC', () => {
    // 17:30 UTC is 01:30 the next morning in Shanghai (UTC+8, no daylight saving).
    assert.equal(dateIn(at('2026-03-01T17:30:00Z'), 'Asia/Shanghai'), '2026-03-02');
    assert.equal(dateIn(at('2026-03-01T17:30:00Z'), 'UTC'), '2026-03-01');
    assert.equal(dateIn(at('2026-03-01T15:59:59Z'), 'Asia/Shanghai'), '2026-03-01');
    assert.equal(dateIn(at('2026-03-02T04:30:00Z'), 'America/New_York'), '2026-03-01');
  });

  it('starts a day at local midnight', () => {
    assert.equal(startOfDay('2026-03-02', 'Asia/Shanghai'), at('2026-03-01T16:00:00Z'));
    assert.equal(startOfDay('2026-01-15', 'America/New_York'), at('2026-01-15T05:00:00Z'));
    assert.equal(startOfDay('2026-07-15', 'America/New_York'), at('2026-07-15T04:00:00Z'));
  });

  it('gives a daylight-saving day its 23 or 25 hours', () => {
    // New York springs forward on 2026-03-08 and falls back on 2026-11-01.
    assert.equal(
      startOfDay('2026-03-09', 'America/New_York') - startOfDay('2026-03-08', 'America/New_York'),
      23 * HOUR,
    );
    assert.equal(
      startOfDay('2026-11-02', 'America/New_York') - startOfDay('2026-11-01', 'America/New_York'),
      25 * HOUR,
    );
    assert.equal(startOfDay('2026-03-09', 'Asia/Shanghai') - startOfDay('2026-03-08', 'Asia/Shanghai'), 24 * HOUR);
  });

  it('starts a day whose midnight is skipped when the clocks resume, and a repeated midnight at the first', () => {
    // Santiago goes from 00:00 straight to 01:00 on 2026-09-06 (UTC-4 to UTC-3).
    assert.equal(startOfDay('2026-09-06', 'America/Santiago'), at('2026-09-06T04:00:00Z'));
    // Havana goes back from 01:00 to 00:00 on 2026-11-01: midnight happens twice.
    assert.equal(startOfDay('2026-11-01', 'America/Havana'), at('2026-11-01T04:00:00Z'));
  });

  it('answers an instant asked again (kept by zone and second) as the first time, zone by zone', () => {
    // Each instant dated twice in each zone, the zones interleaved, across New York's spring
    // change: the second answer comes from what calendar.ts keeps and must equal the first and
    // Intl's own, and an instant must not be answered with another zone's date.
    const intl = (instant: number, timeZone: string) => new Date(instant).toLocaleDateString('sv-SE', { timeZone });
    for (
      let instant = at('2026-03-08T04:59:59.250Z');
      instant < at('2026-03-08T08:00:00Z');
      instant += 15 * 60_000 + 371
    )
      for (const round of [1, 2])
        for (const zone of ['America/New_York', 'Asia/Shanghai', 'Pacific/Chatham', 'Asia/Kathmandu'])
          assert.equal(
            dateIn(instant, zone),
            intl(instant, zone),
            `${zone} ${new Date(instant).toISOString()} (${round})`,
          );
    // The same second, other milliseconds: the same start of day either side of the change.
    assert.equal(startOfDay('2026-03-08', newYork.timeZone), at('2026-03-08T05:00:00Z'));
    assert.equal(startOfDay('2026-03-09', newYork.timeZone), at('2026-03-09T04:00:00Z'));
    assert.equal(dateIn(at('2026-03-08T04:59:59.999Z'), newYork.timeZone), '2026-03-07');
    assert.equal(dateIn(at('2026-03-08T04:59:59.001Z'), newYork.timeZone), '2026-03-07');
    assert.equal(dateIn(at('2026-03-08T05:00:00.000Z'), newYork.timeZone), '2026-03-08');
  });

  it('counts days and weekdays on the calendar', () => {
    assert.equal(addDays('2026-02-28', 1), '2026-03-01');
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addDays('2026-01-01', -1), '2025-12-31');
    assert.equal(daysBetween('2026-03-01', '2026-03-31'), 30);
    assert.equal(daysBetween('2026-03-31', '2026-03-01'), -30);
    assert.equal(weekday('2026-03-02'), 1, '2026-03-02 is a Monday');
    assert.equal(weekday('2026-03-01'), 7, '2026-03-01 is a Sunday');
  });
});

describe('calendar: periods (docs/organisation.md, §6)', () => {
  it('runs a Monday week from Monday 00:00 to the next Monday in the zone', () => {
    const week = periodAt('week', at('2026-03-01T17:30:00Z'), shanghai);
    // Already Monday 2026-03-02 in Shanghai.
    assert.deepEqual([week.start, week.end], ['2026-03-02', '2026-03-09']);
    assert.equal(week.from, at('2026-03-01T16:00:00Z'));
    assert.equal(week.to - week.from, 7 * 24 * HOUR);
    const utc = periodAt('week', at('2026-03-01T17:30:00Z'), { timeZone: 'UTC', fiscalYearStartMonth: 1 });
    assert.deepEqual([utc.start, utc.end], ['2026-02-23', '2026-03-02']);
  });

  it('gives a month and a week across a daylight-saving change their true length', () => {
    const march = periodOf('month', '2026-03-17', newYork);
    assert.deepEqual([march.start, march.end, march.index], ['2026-03-01', '2026-04-01', 3]);
    assert.equal(march.from, at('2026-03-01T05:00:00Z'));
    assert.equal(march.to, at('2026-04-01T04:00:00Z'));
    const week = periodOf('week', '2026-03-08', newYork);
    assert.equal(week.to - week.from, (7 * 24 - 1) * HOUR);
  });

  it('counts quarters and the fiscal year from a fiscal year starting in April', () => {
    const april: Calendar = { timeZone: 'Asia/Shanghai', fiscalYearStartMonth: 4 };
    const quarter = periodOf('quarter', '2026-02-15', april);
    assert.deepEqual(
      [quarter.start, quarter.end, quarter.index, quarter.fiscalYear],
      ['2026-01-01', '2026-04-01', 4, 2025],
    );
    assert.equal(quarter.from, at('2025-12-31T16:00:00Z'));
    const q1 = periodOf('quarter', '2026-04-01', april);
    assert.deepEqual([q1.start, q1.end, q1.index, q1.fiscalYear], ['2026-04-01', '2026-07-01', 1, 2026]);
    const fy = periodOf('fiscalYear', '2027-03-31', april);
    assert.deepEqual([fy.start, fy.end, fy.fiscalYear], ['2026-04-01', '2027-04-01', 2026]);
    assert.equal(fy.from, at('2026-03-31T16:00:00Z'));
    assert.equal(fy.to, at('2027-03-31T16:00:00Z'));
  });

  it('puts the fiscal year boundaries at local midnight in a daylight-saving zone', () => {
    const fy = periodOf('fiscalYear', '2026-06-10', { timeZone: 'America/New_York', fiscalYearStartMonth: 4 });
    assert.equal(fy.from, at('2026-04-01T04:00:00Z'));
    assert.equal(fy.to, at('2027-04-01T04:00:00Z'));
    const jan = periodOf('fiscalYear', '2026-06-10', newYork);
    assert.equal(jan.from, at('2026-01-01T05:00:00Z'));
    assert.equal(jan.to, at('2027-01-01T05:00:00Z'));
  });

  it('numbers weeks as ISO 8601 does when the fiscal year starts in January', () => {
    // Known ISO weeks: 2026-01-01 (Thu) is 2026-W01; 2027-01-01 (Fri) is 2026-W53;
    // 2021-01-03 (Sun) is 2020-W53; 2024-12-30 (Mon) is 2025-W01; 2026-03-02 is 2026-W10.
    assert.deepEqual(fiscalWeek('2026-01-01', shanghai), { fiscalYear: 2026, week: 1 });
    assert.deepEqual(fiscalWeek('2027-01-01', shanghai), { fiscalYear: 2026, week: 53 });
    assert.deepEqual(fiscalWeek('2021-01-03', shanghai), { fiscalYear: 2020, week: 53 });
    assert.deepEqual(fiscalWeek('2024-12-30', shanghai), { fiscalYear: 2025, week: 1 });
    assert.deepEqual(fiscalWeek('2026-03-02', shanghai), { fiscalYear: 2026, week: 10 });
    assert.equal(periodOf('week', '2026-03-04', shanghai).index, 10);
  });

  it('numbers weeks from the fiscal year start', () => {
    const april: Calendar = { timeZone: 'Asia/Shanghai', fiscalYearStartMonth: 4 };
    // FY2026 starts on Wednesday 2026-04-01: its week holds Thursday 04-02, so it is week 1.
    assert.deepEqual(fiscalWeek('2026-03-30', april), { fiscalYear: 2026, week: 1 });
    assert.deepEqual(fiscalWeek('2026-04-06', april), { fiscalYear: 2026, week: 2 });
    // The Sunday before is the last week of FY2025 (which began Tuesday 2025-04-01).
    assert.deepEqual(fiscalWeek('2026-03-29', april), { fiscalYear: 2025, week: 52 });
    assert.equal(weeksIn(periodOf('fiscalYear', '2025-06-01', april)), 52);
  });

  it('counts the weeks of a period and the weeks left in it', () => {
    const q1 = periodOf('quarter', '2026-02-01', shanghai);
    assert.equal(weeksIn(q1), 13);
    // 2026-Q4 runs Thursday 10-01 to Thursday 12-31: fourteen Thursdays.
    assert.equal(weeksIn(periodOf('quarter', '2026-11-01', shanghai)), 14);
    assert.equal(weeksIn(periodOf('fiscalYear', '2026-05-01', shanghai)), 53);
    assert.equal(weeksIn(periodOf('fiscalYear', '2025-05-01', shanghai)), 52);
    assert.equal(weeksLeft(q1, '2026-01-01'), 13);
    // Sunday 03-01: its week (Thursday 02-26) is still counted, then four more.
    assert.equal(weeksLeft(q1, '2026-03-01'), 5);
    assert.equal(weeksLeft(q1, '2026-03-29'), 1);
    // Monday 03-30 is in Q1 but its week (Thursday 04-02) is Q2's first.
    assert.equal(weeksLeft(q1, '2026-03-30'), 0);
    assert.equal(weeksLeft(q1, '2025-12-01'), 13, 'before the period: all of it');
    assert.equal(weeksLeft(q1, '2026-05-01'), 0);
  });

  it('counts weeks left in a month in a daylight-saving zone', () => {
    const march = periodOf('month', '2026-03-10', newYork);
    assert.equal(weeksIn(march), 4);
    assert.equal(
      weeksLeft(march, dateIn(at('2026-03-16T03:30:00Z'), 'America/New_York')),
      3,
      'still Sunday 03-15 in New York',
    );
    assert.equal(
      weeksLeft(march, dateIn(at('2026-03-16T03:30:00Z'), 'Asia/Shanghai')),
      2,
      'already Monday 03-16 in Shanghai',
    );
  });
});
