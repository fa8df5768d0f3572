import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectedCollections } from '../../src/domain/collections.ts';

/** Expected collections of large projects (SPEC §6.7; docs/targets.md § Expected collections). SPEC gives no worked numbers: these are ours. */
describe('expected collections', () => {
  const base = { wonInstallments: 0, wonUnplanned: 0, firstPeriodShare: 50, realisationPercent: 100 };

  it('open deals bring their expected amount × the first-period share; won ones their installments due; the total × realisation', () => {
    const result = expectedCollections({
      stages: [
        { probability: 60, largeAmount: 1_000_000, planned: [] },
        // 500,000 in the stage, of which a 200,000 deal with a plan: 100,000 due in the period.
        { probability: 80, largeAmount: 500_000, planned: [{ amount: 200_000, dueInPeriod: 100_000 }] },
      ],
      wonInstallments: 250_000,
      wonUnplanned: 400_000,
      firstPeriodShare: 50,
      realisationPercent: 80,
    });
    assert.deepEqual(result.stages, [
      { unplanned: 300_000, planned: 0, collections: 300_000 },
      { unplanned: 120_000, planned: 80_000, collections: 200_000 },
    ]);
    assert.equal(result.open, 500_000);
    assert.equal(result.installments, 250_000);
    assert.equal(result.wonUnplanned, 200_000);
    assert.equal(result.total, (500_000 + 250_000 + 200_000) * 0.8);
  });

  it('a stage of 0% brings nothing, one of 100% its whole first-period share; an empty funnel nothing', () => {
    const result = expectedCollections({
      ...base,
      stages: [
        { probability: 0, largeAmount: 900_000, planned: [{ amount: 300_000, dueInPeriod: 300_000 }] },
        { probability: 100, largeAmount: 900_000, planned: [] },
      ],
    });
    assert.deepEqual(
      result.stages.map((s) => s.collections),
      [0, 450_000],
    );
    assert.equal(expectedCollections({ ...base, stages: [] }).total, 0);
  });

  it('a planned deal with nothing due in the period brings nothing, and leaves the share-based part', () => {
    const result = expectedCollections({
      ...base,
      stages: [{ probability: 50, largeAmount: 600_000, planned: [{ amount: 600_000, dueInPeriod: 0 }] }],
    });
    assert.deepEqual(result.stages[0], { unplanned: 0, planned: 0, collections: 0 });
  });

  it('rounds each part to whole fen; shares of 0 and realisation of 0 give 0', () => {
    const result = expectedCollections({
      ...base,
      stages: [{ probability: 33, largeAmount: 1_000_001, planned: [] }],
      firstPeriodShare: 33,
    });
    assert.equal(result.stages[0]!.collections, Math.round((1_000_001 * 33 * 33) / 10_000));
    assert.ok(Number.isInteger(result.total));
    assert.equal(expectedCollections({ ...base, stages: [], wonInstallments: 5, realisationPercent: 0 }).total, 0);
    assert.equal(expectedCollections({ ...base, stages: [], wonUnplanned: 1_000, firstPeriodShare: 0 }).total, 0);
  });
});
