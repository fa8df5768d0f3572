import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bandOf, diagnose } from '../../src/domain/diagnosis.ts';

const team = { reps: 4, newAccounts: 40, won: 20, lost: 20, wonAmount: 20 * 50_000_00 };

describe('capability diagnosis (docs/targets.md § Other analyses)', () => {
  it('finds too few new accounts, with its coaching topics', () => {
    const diagnosis = diagnose({ newAccounts: 3, won: 5, lost: 5, wonAmount: 5 * 50_000_00 }, team);
    assert.equal(diagnosis.problem, 'too_few_new_accounts');
    assert.equal(diagnosis.ratios.too_few_new_accounts, 0.3);
    assert.deepEqual(diagnosis.topics, ['visiting_skill', 'diligence', 'time_management', 'territory_coverage']);
  });
  it('picks the weakest of several problems', () => {
    // win rate 2/10 = 0.2 vs 0.5 → 0.4; new accounts 7/10 = 0.7; average deal as the team.
    const diagnosis = diagnose({ newAccounts: 7, won: 2, lost: 8, wonAmount: 2 * 50_000_00 }, team);
    assert.equal(diagnosis.problem, 'low_win_rate');
  });
  it('finds low deal value', () => {
    const diagnosis = diagnose({ newAccounts: 10, won: 5, lost: 5, wonAmount: 5 * 20_000_00 }, team);
    assert.equal(diagnosis.problem, 'low_deal_value');
    assert.deepEqual(diagnosis.topics, ['value_presentation', 'price_objections']);
  });
  it('says nothing is wrong at or near the team, and judges no rate without closed deals', () => {
    assert.equal(diagnose({ newAccounts: 9, won: 5, lost: 5, wonAmount: 5 * 45_000_00 }, team).problem, null);
    const fresh = diagnose({ newAccounts: 10, won: 0, lost: 0, wonAmount: 0 }, team);
    assert.equal(fresh.problem, null);
    assert.equal(fresh.ratios.low_win_rate, null);
    assert.equal(fresh.ratios.low_deal_value, null);
  });
  it('compares with nothing when the team has nothing', () => {
    const diagnosis = diagnose(
      { newAccounts: 0, won: 0, lost: 0, wonAmount: 0 },
      { reps: 0, newAccounts: 0, won: 0, lost: 0, wonAmount: 0 },
    );
    assert.equal(diagnosis.problem, null);
  });
  it('bands amounts at their lower bound', () => {
    assert.deepEqual([0, 19_999_99, 20_000_00, 99_999_99, 100_000_00, 200_000_00, 9e12].map(bandOf), [
      'lt20k',
      'lt20k',
      '20k-50k',
      '50k-100k',
      '100k-200k',
      'ge200k',
      'ge200k',
    ]);
  });
});
