import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  entriesPerWeekNeeded,
  expectedDeals,
  flowProjection,
  funnelGap,
  standardFunnel,
} from '../../src/domain/funnel-math.ts';
import { gapAnalysis, revenueForecast } from '../../src/domain/forecast.ts';

const SMALL = [
  { name: 'Intent', probability: 20 },
  { name: 'Proposal', probability: 35 },
  { name: 'Negotiation', probability: 70 },
];

describe('standard funnel (docs/targets.md § Standard funnel)', () => {
  it('the worked example: quota 1,300,000, average 10,000, 13 weeks, small-project stages', () => {
    const funnel = standardFunnel({ quota: 1_300_000, averageDeal: 10_000, weeks: 13, stages: SMALL });
    assert.equal(funnel.dealsNeeded, 130);
    assert.equal(funnel.winsPerWeek, 10);
    assert.deepEqual(
      funnel.stages.map((s) => s.standard),
      [50, 29, 15],
    );
    assert.equal(funnel.newPerWeek, 50);
    assert.equal(funnel.repsNeeded, null);
  });

  it('the headcount: 30 new a week at 4 per rep is 8 reps', () => {
    // D = 60, w = 6, E = ceil(6 / 0.2) = 30
    const funnel = standardFunnel({
      quota: 600_000,
      averageDeal: 10_000,
      weeks: 10,
      stages: SMALL,
      newPerRepPerWeek: 4,
    });
    assert.equal(funnel.newPerWeek, 30);
    assert.equal(funnel.repsNeeded, 8);
  });

  it('rounds deals up, and does not turn a float artefact into an extra deal', () => {
    const funnel = standardFunnel({
      quota: 1_000_001,
      averageDeal: 10_000,
      weeks: 10,
      stages: [{ name: 'x', probability: 30, weeks: 1 }],
    });
    assert.equal(funnel.dealsNeeded, 101);
    // w = 0.3 a week at 30%: exactly one deal, though 0.3 × 100 / 30 is 1.0000000000000002 in floating point
    const exactFunnel = standardFunnel({
      quota: 30_000,
      averageDeal: 10_000,
      weeks: 10,
      stages: [{ name: 'x', probability: 30 }],
    });
    assert.deepEqual(
      exactFunnel.stages.map((s) => s.standard),
      [1],
    );
  });

  it('a stage that lasts longer holds proportionally more', () => {
    const funnel = standardFunnel({
      quota: 1_300_000,
      averageDeal: 10_000,
      weeks: 13,
      stages: [{ name: 'Proposal', probability: 50, weeks: 3 }],
    });
    assert.deepEqual(
      funnel.stages.map((s) => s.standard),
      [60],
    );
  });

  it('a 0% stage has no standard count and is not the entry stage; a 100% stage needs exactly the wins', () => {
    const funnel = standardFunnel({
      quota: 1_300_000,
      averageDeal: 10_000,
      weeks: 13,
      stages: [
        { name: 'Target', probability: 0 },
        { name: 'Potential', probability: 10 },
        { name: 'Sure', probability: 100 },
      ],
    });
    assert.deepEqual(
      funnel.stages.map((s) => s.standard),
      [null, 100, 10],
    );
    assert.equal(funnel.newPerWeek, 100);
  });
});

describe('flow projection and opportunity gap (docs/targets.md § Flow projection)', () => {
  const example = [
    { name: 'Intent', probability: 20, count: 100 },
    { name: 'Proposal', probability: 40, count: 40 },
    { name: 'Negotiation', probability: 80, count: 30 },
  ];

  it('the worked example: 24, 16 and 20 wins in weeks 1–3', () => {
    assert.deepEqual(
      flowProjection({ stages: example }).map((w) => Math.round(w.wins * 1e9) / 1e9),
      [24, 16, 20],
    );
  });

  it('in the end every deal wins with its stage probability: the projection sums to the expected deals', () => {
    const weeks = flowProjection({ stages: example, newPerWeek: [10, 10] });
    const total = weeks.reduce((s, w) => s + w.wins, 0);
    assert.equal(Math.round(total * 1e9) / 1e9, expectedDeals(example) + 2 * 10 * 0.2);
    // the last entries (week 2) need the whole three-week cycle: they close in week 4
    assert.equal(weeks.length, 5);
    assert.equal(Math.round(weeks[3]!.wins * 1e9) / 1e9, 2);
  });

  it('a two-week stage spreads the deals in it over two weeks', () => {
    const weeks = flowProjection({ stages: [{ name: 'Negotiation', probability: 50, weeks: 2, count: 10 }] });
    assert.deepEqual(
      weeks.map((w) => w.wins),
      [2.5, 2.5],
    );
  });

  it('an empty funnel projects no wins; a funnel of only 0% stages has no projection', () => {
    assert.deepEqual(
      flowProjection({ stages: SMALL.map((s) => ({ ...s, count: 0 })) }).map((w) => w.wins),
      [0, 0, 0],
    );
    assert.deepEqual(flowProjection({ stages: [{ name: 'Target', probability: 0, count: 50 }] }), []);
  });

  it('the gap: count-based expected amount, gap in deals and in first-stage deals', () => {
    const gap = funnelGap({ quota: 500_000, realised: 100_000, averageDeal: 10_000, stages: example });
    assert.equal(gap.expectedDeals, 60); // 20 + 16 + 24
    assert.equal(gap.expectedAmount, 600_000);
    assert.equal(gap.gapAmount, -200_000);
    assert.equal(gap.gapDeals, -20);
    assert.equal(gap.firstStageNeeded, -100);
    const biggerGap = funnelGap({ quota: 1_000_000, realised: 100_000, averageDeal: 10_000, stages: example });
    assert.equal(biggerGap.gapAmount, 300_000);
    assert.equal(biggerGap.gapDeals, 30);
    assert.equal(biggerGap.firstStageNeeded, 150);
  });

  it('entries per week: only the weeks that leave time for a whole cycle count', () => {
    assert.equal(entriesPerWeekNeeded(30, example, 12), 15); // 150 first-stage deals over weeks 1–10
    assert.equal(entriesPerWeekNeeded(0, example, 12), 0);
    assert.equal(entriesPerWeekNeeded(5, example, 2), null); // no week left in which an entry could close
  });
});

describe('revenue forecast (docs/targets.md § Revenue forecast)', () => {
  it('the worked example: quota 500, realised 100, commit 200, possible 160, 5 weeks → 380, 76%', () => {
    const forecast = revenueForecast({ quota: 500, realised: 100, commit: 200, possible: 160, weeksLeft: 5 });
    assert.deepEqual(forecast, {
      forecast: 380,
      completion: 0.76,
      commitPart: 140,
      possiblePart: 40,
      unforecastPart: 100,
    });
  });

  it('weights are settings; no weeks left means no unforecast part; a zero quota has no completion', () => {
    const forecast = revenueForecast({
      quota: 500,
      realised: 100,
      commit: 200,
      possible: 160,
      weeksLeft: 0,
      commitWeight: 100,
      possibleWeight: 0,
    });
    assert.equal(forecast.forecast, 300);
    assert.equal(revenueForecast({ quota: 0, realised: 10, commit: 0, possible: 0, weeksLeft: 3 }).completion, null);
  });
});

describe('gap analysis P1–P4 (docs/targets.md § Gap analysis)', () => {
  it('the worked example: quota 100, FI 20, CO 50, N-CO 40, P4 5 → 80, 45, 35, 175, 35', () => {
    const gap = gapAnalysis({ quota: 100, finished: 20, commit: 50, nonCommit: 40, averageDeal: 5, weeksLeft: 7 });
    assert.deepEqual(gap, { gap0: 80, gap1: 45, gap2: 35, gap3: 175, newAccounts: 35, newAccountsPerWeek: 5 });
  });

  it('a covered quota needs no new pipeline; no weeks left gives no weekly figure', () => {
    const gap = gapAnalysis({ quota: 100, finished: 90, commit: 50, nonCommit: 0, averageDeal: 5 });
    assert.equal(gap.gap1, -25);
    assert.equal(gap.gap3, 0);
    assert.equal(gap.newAccounts, 0);
    assert.equal(gap.newAccountsPerWeek, null);
  });
});
