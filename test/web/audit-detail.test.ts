/** The audit log shows an event's detail as one readable line (an export's filter and row count). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detailLine } from '../../web/src/features/audit/detail.ts';

test('an export reads as its row count, format and the filter used, empty filters left out', () => {
  assert.equal(
    detailLine({ filter: { q: '华为', tier: 'A', ownerId: undefined, industry: '' }, rows: 120, format: 'xlsx' }),
    'filter: q=华为, tier=A · rows=120 · format=xlsx',
  );
  assert.equal(detailLine({ filter: {}, rows: 0, format: 'csv' }), 'rows=0 · format=csv');
});

test('nested values are shown as JSON, missing detail as nothing', () => {
  assert.equal(detailLine({ released: { A: 0, B: 2, C: 5 } }), 'released: A=0, B=2, C=5');
  assert.equal(detailLine({ filter: { stageIds: [1, 2] } }), 'filter: stageIds=[1,2]');
  assert.equal(detailLine(null), '');
  assert.equal(detailLine('plain'), 'plain');
});
