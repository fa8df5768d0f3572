import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { valueTypeOf } from '../../src/domain/value-type.ts';

const tierA = { tier: 'A', named: false } as const;
const tierB = { tier: 'B', named: false } as const;
const tierC = { tier: 'C', named: false } as const;
const namedC = { tier: 'C', named: true } as const;

// SPEC §3.1: "Most value" is about size as well as trend: only A-tier and named accounts whose
// amount holds steady get it; an account of any tier can be "growth" (a first purchase, or a rise
// beyond the growth threshold) or "shrinking"; a small steady account has no value type.
describe('value types (SPEC §3.1, docs/archive.md 三种大客户)', () => {
  it('an A-tier account buying steadily is most value', () => {
    assert.equal(valueTypeOf(100, 100, tierA), 'value');
    assert.equal(valueTypeOf(91, 100, tierA), 'value');
    assert.equal(valueTypeOf(119, 100, tierA), 'value');
  });
  it('a named account buying steadily is most value whatever its tier', () => {
    assert.equal(valueTypeOf(100, 100, namedC), 'value');
    assert.equal(valueTypeOf(105, 100, { tier: 'B', named: true }), 'value');
  });
  it('a small steady account has no value type', () => {
    assert.equal(valueTypeOf(100, 100, tierC), null);
    assert.equal(valueTypeOf(110, 100, tierB), null);
    assert.equal(valueTypeOf(95, 100, tierC), null);
  });
  it('any tier can be growth: a first purchase, or a rise of the growth threshold or more', () => {
    for (const size of [tierA, tierB, tierC, namedC]) {
      assert.equal(valueTypeOf(500, 0, size), 'growth');
      assert.equal(valueTypeOf(120, 100, size), 'growth');
    }
  });
  it('any tier can be shrinking: a fall of the shrink threshold or more, down to nothing', () => {
    for (const size of [tierA, tierB, tierC, namedC]) {
      assert.equal(valueTypeOf(90, 100, size), 'shrinking');
      assert.equal(valueTypeOf(0, 100, size), 'shrinking');
    }
  });
  it('no purchases in either window: no type, even for an A or named account', () => {
    assert.equal(valueTypeOf(0, 0, tierA), null);
    assert.equal(valueTypeOf(0, 0, namedC), null);
  });
  it('follows the workspace thresholds', () => {
    const wide = { growthBp: 5_000, shrinkBp: 3_000 };
    assert.equal(valueTypeOf(140, 100, tierA, wide), 'value');
    assert.equal(valueTypeOf(150, 100, tierC, wide), 'growth');
    assert.equal(valueTypeOf(80, 100, tierA, wide), 'value');
    assert.equal(valueTypeOf(70, 100, tierC, wide), 'shrinking');
    assert.equal(valueTypeOf(80, 100, tierC, wide), null);
  });
});
