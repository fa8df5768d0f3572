import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePeriod, periodName } from '../../src/domain/period-name.ts';
import {
  addFigures,
  amountIn,
  convertBasis,
  figureOf,
  rollUp,
  splitByWeights,
  yearOf,
  type QuotaFigure,
} from '../../src/domain/quota.ts';
import { quantile, shapeFlags } from '../../src/domain/funnel-health.ts';
import { periodOf } from '../../src/domain/calendar.ts';

const jan = { timeZone: 'Asia/Shanghai', fiscalYearStartMonth: 1 };
const april = { timeZone: 'Asia/Shanghai', fiscalYearStartMonth: 4 };

describe('period names (docs/targets.md § Scopes and periods)', () => {
  it('parses fiscal years, quarters, weeks and calendar months, and names them back', () => {
    for (const name of ['FY2026', 'FY2026-Q3', 'FY2026-W05', 'FY2026-W53', '2026-07'])
      assert.equal(periodName(parsePeriod(name, jan)!), name);
    assert.deepEqual(
      [parsePeriod('FY2026-Q3', april)!.start, parsePeriod('FY2026-Q3', april)!.end],
      ['2026-10-01', '2027-01-01'],
    );
    assert.deepEqual(
      [parsePeriod('FY2026', april)!.start, parsePeriod('FY2026', april)!.end],
      ['2026-04-01', '2027-04-01'],
    );
    // Week 1 of a January year is ISO week 1: the week of the first Thursday.
    assert.equal(parsePeriod('FY2026-W01', jan)!.start, '2025-12-29');
    assert.equal(parsePeriod('FY2027-W01', jan)!.start, '2027-01-04');
  });

  it('refuses what is no period: a 13th month, a fifth quarter, a week the year lacks, other words', () => {
    for (const name of [
      '2026-13',
      '2026-00',
      'FY2026-Q5',
      'FY2025-W53',
      'FY2026-W00',
      'Q3',
      'fy2026',
      '2026',
      'FY1969',
      '',
    ])
      assert.equal(parsePeriod(name, jan), null, name);
  });
});

describe('quota arithmetic (docs/targets.md § Quotas)', () => {
  it('splits whole fen by ratios, adding up exactly', () => {
    assert.deepEqual(splitByWeights(1_300_000_00, [22, 28, 25, 25]), [286_000_00, 364_000_00, 325_000_00, 325_000_00]);
    const odd = splitByWeights(100, [1, 1, 1]);
    assert.deepEqual(odd, [34, 33, 33]);
    assert.equal(
      splitByWeights(7, [0, 0]).reduce((a, b) => a + b, 0),
      0,
      'no weights, nothing to split',
    );
  });

  it('quarters and categories of a quota: 22/28/25/25 and 70% small, 30% large', () => {
    const figure = figureOf(
      {
        amount: 1_000_000_00,
        quarterRatios: [22, 28, 25, 25],
        categories: [
          { key: 'small', share: 70 },
          { key: 'large', share: 30 },
        ],
        basis: 'tax_inclusive',
      },
      'tax_inclusive',
      13,
    );
    assert.deepEqual(figure.quarters, [220_000_00, 280_000_00, 250_000_00, 250_000_00]);
    assert.deepEqual(figure.categories.small, [154_000_00, 196_000_00, 175_000_00, 175_000_00]);
    assert.equal(yearOf(figure), 1_000_000_00);
  });

  it('converts net and tax-inclusive by the workspace rate (1.13)', () => {
    assert.equal(convertBasis(100_000_00, 'net', 'tax_inclusive', 13), 113_000_00);
    assert.equal(convertBasis(113_000_00, 'tax_inclusive', 'net', 13), 100_000_00);
    assert.equal(convertBasis(5, 'net', 'net', 13), 5);
  });

  it('a month is a third of its quarter, a week the quarter over its weeks', () => {
    const quarters = [300, 600, 900, 1200];
    const q2 = periodOf('quarter', '2026-04-01', jan);
    assert.equal(amountIn(quarters, periodOf('month', '2026-05-01', jan), 2, 1, q2), 200);
    assert.equal(amountIn(quarters, periodOf('quarter', '2026-05-01', jan), 2, 0, q2), 600);
    assert.equal(amountIn(quarters, periodOf('fiscalYear', '2026-05-01', jan), 2, 0, q2), 3000);
    assert.equal(amountIn(quarters, periodOf('week', '2026-05-04', jan), 2, 0, q2), Math.round(600 / 13));
  });

  it("units default to their members' sum; a unit set otherwise keeps its own figure, and its parent counts that", () => {
    const evenFigure = (n: number): QuotaFigure => ({ quarters: [n, n, n, n], categories: {} });
    const units = [
      { id: 1, parentId: null },
      { id: 2, parentId: 1 },
      { id: 3, parentId: 1 },
      { id: 4, parentId: 3 },
    ];
    const people = [
      { unitId: 2, figure: evenFigure(10) },
      { unitId: 2, figure: evenFigure(5) },
      { unitId: 4, figure: evenFigure(7) },
      { unitId: 1, figure: evenFigure(1) },
    ];
    const rolled = rollUp(units, people, new Map([[3, evenFigure(20)]]));
    assert.deepEqual(rolled.get(2)!.effective.quarters, [15, 15, 15, 15]);
    assert.deepEqual(rolled.get(3)!.members.quarters, [7, 7, 7, 7]);
    assert.deepEqual(rolled.get(3)!.effective.quarters, [20, 20, 20, 20]);
    assert.deepEqual(rolled.get(1)!.effective.quarters, [36, 36, 36, 36], '15 + 20 (set) + 1 of its own');
    assert.deepEqual(
      addFigures(
        { quarters: [1, 1, 1, 1], categories: { a: [1, 0, 0, 0] } },
        { quarters: [0, 0, 0, 0], categories: { a: [1, 1, 0, 0], b: [2, 2, 2, 2] } },
      ).categories,
      { a: [2, 1, 0, 0], b: [2, 2, 2, 2] },
    );
  });
});

describe('funnel health (docs/targets.md § Funnel health)', () => {
  it('flags the shape of a funnel from its balance per stage', () => {
    assert.deepEqual(shapeFlags([2, 1, 0.3]), { topHeavy: true, bottomHeavy: false, hollowMiddle: false });
    assert.deepEqual(shapeFlags([0.3, 1, 2]), { topHeavy: false, bottomHeavy: true, hollowMiddle: false });
    assert.deepEqual(shapeFlags([1, 0.2, 1]), { topHeavy: false, bottomHeavy: false, hollowMiddle: true });
    assert.deepEqual(shapeFlags([1, 1, 1, 1]), { topHeavy: false, bottomHeavy: false, hollowMiddle: false });
    assert.deepEqual(
      shapeFlags([null, 1]),
      { topHeavy: false, bottomHeavy: false, hollowMiddle: false },
      'one stage with a standard: no shape',
    );
    assert.deepEqual(
      shapeFlags([0, 0, 0]),
      { topHeavy: false, bottomHeavy: false, hollowMiddle: false },
      'an empty funnel is not a shape',
    );
  });

  it('median and 80th percentile of days in a stage', () => {
    assert.equal(quantile([], 0.5), null);
    assert.equal(quantile([4], 0.8), 4);
    assert.equal(quantile([1, 2, 3, 4, 10], 0.5), 3);
    assert.ok(Math.abs(quantile([1, 2, 3, 4, 10], 0.8)! - 5.2) < 1e-9);
  });
});
