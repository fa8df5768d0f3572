import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, checkpointDates, checkpointsDue } from '../../src/domain/checkpoints.ts';

describe('1-15-30 checkpoints (docs/rhythm.md § 1-15-30)', () => {
  it('15 and 30 days after the deal entered, across month and year ends and a leap day', () => {
    assert.deepEqual(checkpointDates('2026-12-20'), { day15: '2027-01-04', day30: '2027-01-19' });
    assert.deepEqual(checkpointDates('2028-02-14'), { day15: '2028-02-29', day30: '2028-03-15' });
    assert.throws(() => addDays('2026-13-01', 1), RangeError);
  });

  it('the weekly review lists every open deal, and the dated checkpoints due in the week or overdue and not done', () => {
    const week = { start: '2026-12-07', end: '2026-12-13' };
    assert.deepEqual(checkpointsDue({ entered: '2026-12-01', done: new Set() }, week), ['weekly']);
    assert.deepEqual(checkpointsDue({ entered: '2026-11-25', done: new Set() }, week), ['weekly', 'day15']); // due 12-10
    assert.deepEqual(checkpointsDue({ entered: '2026-11-01', done: new Set() }, week), ['weekly', 'day15', 'day30']); // both overdue
    assert.deepEqual(checkpointsDue({ entered: '2026-11-01', done: new Set(['day15'] as const) }, week), [
      'weekly',
      'day30',
    ]);
    assert.deepEqual(checkpointsDue({ entered: '2026-11-13', done: new Set(['day15'] as const) }, week), [
      'weekly',
      'day30',
    ]); // due on the week's last day
  });
});
