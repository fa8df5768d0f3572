import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveMode, keyAccountTeamFor, type UnitMode } from '../../src/domain/sales-mode.ts';

// 集团 /1/ → 华东大区 /1/2/ → 上海分公司 /1/2/3/ → 销售一部 /1/2/3/4/, 上海大客户部 /1/2/3/5/ (→ 金融组 /1/2/3/5/6/);
// 集团大客户部 /1/7/; 华南大区 /1/8/ → 销售部 /1/8/9/.
const units: UnitMode[] = [
  { id: 1, path: '/1/', salesMode: null, archived: false },
  { id: 2, path: '/1/2/', salesMode: null, archived: false },
  { id: 3, path: '/1/2/3/', salesMode: 'territory', archived: false },
  { id: 4, path: '/1/2/3/4/', salesMode: null, archived: false },
  { id: 5, path: '/1/2/3/5/', salesMode: 'key_account', archived: false },
  { id: 6, path: '/1/2/3/5/6/', salesMode: null, archived: false },
  { id: 7, path: '/1/7/', salesMode: 'key_account', archived: false },
  { id: 8, path: '/1/8/', salesMode: null, archived: false },
  { id: 9, path: '/1/8/9/', salesMode: null, archived: false },
];
const byId = new Map(units.map((unit) => [unit.id, unit]));

describe('sales modes (SPEC §2, docs/organisation.md § Sales modes)', () => {
  it('a unit follows its nearest ancestor with a mode; territory by default', () => {
    assert.equal(effectiveMode('/1/', byId), 'territory');
    assert.equal(effectiveMode('/1/2/3/4/', byId), 'territory');
    assert.equal(effectiveMode('/1/2/3/5/6/', byId), 'key_account');
    assert.equal(effectiveMode('/1/8/9/', byId), 'territory');
  });
  it("a named account goes to the nearest key-account team: the branch's own before the group's", () => {
    assert.equal(keyAccountTeamFor('/1/2/3/4/', units)?.id, 5);
    assert.equal(keyAccountTeamFor('/1/8/9/', units)?.id, 7);
    assert.equal(keyAccountTeamFor('/1/', units)?.id, 7, 'equally near: the higher team, not a sub-team');
  });
  it('an account already with a key-account team stays; no team anywhere: nowhere to go', () => {
    assert.equal(keyAccountTeamFor('/1/2/3/5/6/', units), null);
    assert.equal(keyAccountTeamFor('/1/7/', units), null);
    const territoryOnly = units.map((unit) => ({ ...unit, salesMode: unit.id === 3 ? ('territory' as const) : null }));
    assert.equal(keyAccountTeamFor('/1/2/3/4/', territoryOnly), null);
  });
  it('an archived team takes nothing', () => {
    const archived = units.map((unit) => (unit.id === 5 ? { ...unit, archived: true } : unit));
    assert.equal(keyAccountTeamFor('/1/2/3/4/', archived)?.id, 7);
  });
});
