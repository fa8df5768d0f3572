import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeTiers,
  effectiveTier,
  monthsBefore,
  thresholdProblems,
  tierRanking,
  tierWindows,
} from '../../src/domain/abc-tier.ts';
import { findConflicts, overlap } from '../../src/domain/territory-conflicts.ts';
import type { TerritoryRule } from '../../src/domain/territory.ts';

const DEFAULT = { aShareBp: 8000, bShareBp: 9500 };
const tiers = (amounts: number[], thresholds = DEFAULT) => {
  const computed = computeTiers(new Map(amounts.map((a, i) => [i, a])), thresholds);
  return amounts.map((_, i) => computed.get(i)).join('');
};

describe('ABC tiers (docs/archive.md Pareto)', () => {
  it('the classic 80/15/5 split', () => {
    // total 100: 50 (0→50%), 30 (50→80%), 10 (80→90%), 5 (90→95%), 3 (95→98%), 2 (98→100%)
    assert.equal(tiers([50, 30, 10, 5, 3, 2]), 'AABBCC');
  });

  it('the account that crosses 80% belongs to A, the one that crosses 95% to B', () => {
    // 70 → 70%; 20 crosses 80% (70→90) → A; 6 crosses 95% (90→96) → B; 4 → C
    assert.equal(tiers([70, 20, 6, 4]), 'AABC');
  });

  it('an account that starts exactly at 80% is B; exactly at 95% is C', () => {
    assert.equal(tiers([80, 15, 5]), 'ABC');
  });

  it('ties share a tier: equals are never split by arbitrary ranking', () => {
    // four of 25: before = 0 for all of them → all A
    assert.equal(tiers([25, 25, 25, 25]), 'AAAA');
    // 60, then two of 15 (before 60% → both A), then 10 (before 90% → B)
    assert.equal(tiers([60, 15, 15, 10]), 'AAAB');
  });

  it('zero purchases (prospects) are C; an all-zero workspace is all C; nothing in, nothing out', () => {
    assert.equal(tiers([100, 0, 0]), 'ACC');
    assert.equal(tiers([0, 0, 0]), 'CCC');
    assert.equal(computeTiers(new Map(), DEFAULT).size, 0);
  });

  it('by amount (the recompute, batch by batch): the rule written out, on random workspaces with ties and zeros', () => {
    // The rule as the docs state it, account by account: before(x) = the sum of the amounts strictly greater.
    const byTheRule = (amounts: number[], thresholds: typeof DEFAULT) => {
      const total = amounts.reduce((sum, amount) => sum + Math.max(0, amount), 0);
      return amounts
        .map((amount) => {
          if (amount <= 0) return 'C';
          const before = amounts.filter((other) => other > amount).reduce((sum, other) => sum + other, 0);
          return before * 10_000 < thresholds.aShareBp * total
            ? 'A'
            : before * 10_000 < thresholds.bShareBp * total
              ? 'B'
              : 'C';
        })
        .join('');
    };
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let trial = 0; trial < 200; trial++) {
      const spread = [3, 10, 1000][trial % 3]!;
      const amounts = Array.from({ length: 1 + Math.floor(random() * 60) }, () =>
        random() < 0.2 ? 0 : Math.floor(random() * spread),
      );
      const aShareBp = 1 + Math.floor(random() * 9000);
      const thresholds = { aShareBp, bShareBp: aShareBp + 1 + Math.floor(random() * (10_000 - aShareBp - 1)) };
      const tierOf = tierRanking(amounts, thresholds);
      assert.equal(amounts.map(tierOf).join(''), byTheRule(amounts, thresholds), `${amounts} ${aShareBp}`);
      assert.equal(tiers(amounts, thresholds), byTheRule(amounts, thresholds));
    }
  });

  it('a single buying account is A', () => {
    assert.equal(tiers([1]), 'A');
    assert.equal(tiers([0, 123_456_789_00]), 'CA');
  });

  it('thresholds are configurable', () => {
    // 50/30 … with A at 50%: only the first (before 0 < 50%); the second starts at 50% → B (before 50 < 90)
    assert.equal(tiers([50, 30, 10, 5, 3, 2], { aShareBp: 5000, bShareBp: 9000 }), 'ABBCCC');
    // B share 100%: every buying account is A or B
    assert.equal(tiers([50, 30, 10, 5, 3, 2, 0], { aShareBp: 8000, bShareBp: 10_000 }), 'AABBBBC');
  });

  it('handles amounts whose sums times 10 000 exceed 2^53', () => {
    const big = 9_000_000_000_000; // 900 亿元 in fen
    assert.equal(tiers([big, big, big / 9]), 'AAB');
  });

  it('input order does not matter', () => {
    assert.equal(tiers([2, 50, 5, 30, 3, 10]), 'CABACB');
  });

  it('the override wins over the computed tier', () => {
    assert.equal(effectiveTier('C', 'A'), 'A');
    assert.equal(effectiveTier('B', null), 'B');
  });

  it('threshold validation names the field', () => {
    assert.deepEqual(thresholdProblems(DEFAULT), []);
    assert.deepEqual(
      thresholdProblems({ aShareBp: 9500, bShareBp: 9500 }).map(([f]) => f),
      ['aShareBp'],
    );
    assert.deepEqual(
      thresholdProblems({ aShareBp: 8000, bShareBp: 10_001 }).map(([f]) => f),
      ['bShareBp'],
    );
    assert.deepEqual(
      thresholdProblems({ aShareBp: 0, bShareBp: 9000 }).map(([f]) => f),
      ['aShareBp'],
    );
  });

  it('windows are whole calendar months back, clamped at month ends', () => {
    const now = Date.UTC(2025, 2, 31, 10, 0, 0); // 2025-03-31 10:00Z
    assert.equal(new Date(monthsBefore(now, 1)).toISOString(), '2025-02-28T10:00:00.000Z');
    assert.equal(new Date(monthsBefore(now, 12)).toISOString(), '2024-03-31T10:00:00.000Z');
    assert.equal(new Date(monthsBefore(now, 15)).toISOString(), '2023-12-31T10:00:00.000Z');
    const windows = tierWindows(now, 12);
    assert.equal(new Date(windows.priorFrom).toISOString(), '2023-03-31T10:00:00.000Z');
    assert.equal(windows.to, now);
  });
});

describe('territory conflicts (docs/organisation.md)', () => {
  const rule = (id: number, userId: number, part: Partial<TerritoryRule>): TerritoryRule => ({
    id,
    userId,
    province: null,
    city: null,
    district: null,
    industry: null,
    ...part,
  });

  it('the same place for two reps is a conflict; for one rep it is not', () => {
    const conflicts = findConflicts([
      rule(1, 10, { province: '广东' }),
      rule(2, 11, { province: '广东' }),
      rule(3, 10, { province: '浙江' }),
      rule(4, 10, { province: '浙江' }),
    ]);
    assert.deepEqual(
      conflicts.map((x) => [x.ruleIds, x.userIds, x.place.province]),
      [[[1, 2], [10, 11], '广东']],
    );
  });

  it('overlapping rules of the same specificity conflict where they meet', () => {
    const conflicts = findConflicts([
      rule(1, 10, { province: '广东', industry: 'energy' }),
      rule(2, 11, { province: '广东', city: '广州' }),
    ]);
    assert.equal(conflicts.length, 1);
    assert.deepEqual(conflicts[0]!.place, { province: '广东', city: '广州', district: null, industry: 'energy' });
    assert.equal(conflicts[0]!.specificity, 2);
  });

  it('a more specific rule covering the overlap resolves it; different specificities never conflict', () => {
    const rules = [
      rule(1, 10, { province: '广东', industry: 'energy' }),
      rule(2, 11, { province: '广东', city: '广州' }),
      rule(3, 12, { province: '广东', city: '广州', industry: 'energy' }),
    ];
    assert.deepEqual(findConflicts(rules), []);
    assert.deepEqual(
      findConflicts([rule(1, 10, { province: '广东' }), rule(2, 11, { province: '广东', city: '深圳' })]),
      [],
    );
  });

  it('disjoint places do not overlap', () => {
    assert.equal(
      overlap(rule(1, 1, { province: '广东', city: '广州' }), rule(2, 2, { province: '广东', city: '深圳' })),
      null,
    );
    assert.deepEqual(
      findConflicts([
        rule(1, 10, { province: '广东', industry: 'energy' }),
        rule(2, 11, { province: '广东', industry: 'pharma' }),
      ]),
      [],
    );
  });
});
