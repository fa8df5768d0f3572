import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { confirmationRate, drawCallbackSample, sampleSize } from '../../src/domain/callback-sample.ts';

const ids = Array.from({ length: 95 }, (_, i) => 1000 + i * 3);

describe('callback sample (docs/rhythm.md § Callback audit)', () => {
  it('draws ceil(10%) of the visits, at least one when there are any', () => {
    assert.equal(drawCallbackSample({ visitIds: ids, seed: 'w1:2026-W49:7' }).length, 10);
    assert.equal(drawCallbackSample({ visitIds: [5], seed: 's' }).length, 1);
    assert.deepEqual(drawCallbackSample({ visitIds: [], seed: 's' }), []);
    assert.equal(sampleSize(20, 25), 5);
    assert.equal(sampleSize(3, 100), 3);
    assert.equal(sampleSize(3, 0), 0);
  });

  it('is reproducible: same seed, same sample, whatever the order the visits are read in', () => {
    const sampleA = drawCallbackSample({ visitIds: ids, seed: 'w1:2026-W49:7' });
    const sampleB = drawCallbackSample({ visitIds: [...ids].reverse(), seed: 'w1:2026-W49:7' });
    assert.deepEqual(sampleA, sampleB);
    assert.ok(sampleA.every((id) => ids.includes(id)));
  });

  it('another period or rep draws another sample', () => {
    const sampleA = drawCallbackSample({ visitIds: ids, seed: 'w1:2026-W49:7' });
    const sampleB = drawCallbackSample({ visitIds: ids, seed: 'w1:2026-W50:7' });
    const sampleC = drawCallbackSample({ visitIds: ids, seed: 'w1:2026-W49:8' });
    assert.notDeepEqual(sampleA, sampleB);
    assert.notDeepEqual(sampleA, sampleC);
  });

  it('every visit has a fair chance: over many draws each is picked about 10% of the time', () => {
    const visits = Array.from({ length: 50 }, (_, i) => i + 1);
    const picked = new Map<number, number>();
    const draws = 2000;
    for (let draw = 0; draw < draws; draw++)
      for (const id of drawCallbackSample({ visitIds: visits, seed: `draw-${draw}` }))
        picked.set(id, (picked.get(id) ?? 0) + 1);
    for (const id of visits) {
      const share = (picked.get(id) ?? 0) / draws;
      assert.ok(share > 0.06 && share < 0.14, `visit ${id} drawn ${share}`);
    }
  });

  it('confirmation rate counts answered callbacks only', () => {
    assert.equal(confirmationRate(['confirmed', 'confirmed', 'not_confirmed', 'feedback', null]), 2 / 3);
    assert.equal(confirmationRate([null, 'feedback']), null);
  });
});
