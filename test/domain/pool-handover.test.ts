import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  claimAllowance,
  DAY_MS,
  daysInPool,
  isDueForRelease,
  releaseCutoffs,
  type PoolCandidate,
} from '../../src/domain/pool.ts';
import { canHandOver, canTakeOver, missingForCompletion, noteGaps, parseNote } from '../../src/domain/handover.ts';
import { DEFAULT_SETTINGS } from '../../src/domain/settings.ts';

const NOW = Date.UTC(2025, 5, 30);
const base: Omit<PoolCandidate, 'tier' | 'lastFollowUpAt'> = {
  ownerId: 7,
  inPool: false,
  archived: false,
  createdAt: NOW - 400 * DAY_MS,
  assignedAt: null,
  openOpportunities: 0,
  lastStageActivityAt: null,
};

describe('pool release rule (docs/archive.md)', () => {
  it('cutoffs: A never, B 60 days, C 30 days by default', () => {
    assert.deepEqual(releaseCutoffs(NOW, DEFAULT_SETTINGS), { B: NOW - 60 * DAY_MS, C: NOW - 30 * DAY_MS });
    assert.deepEqual(releaseCutoffs(NOW, { poolReleaseDays: { A: 90, B: null, C: 0 } }), { A: NOW - 90 * DAY_MS });
  });
  it('releases by tier, counting from the later of follow-up, assignment and creation', () => {
    const due = (
      item: Partial<typeof base> & { tier: 'A' | 'B' | 'C'; lastFollowUpAt: number | null; assignedAt?: number | null },
    ) => isDueForRelease({ ...base, ...item }, NOW, DEFAULT_SETTINGS);
    assert.equal(due({ tier: 'A', lastFollowUpAt: NOW - 999 * DAY_MS }), false);
    assert.equal(due({ tier: 'B', lastFollowUpAt: NOW - 61 * DAY_MS }), true);
    assert.equal(due({ tier: 'B', lastFollowUpAt: NOW - 60 * DAY_MS }), false, 'exactly 60 days is not yet older');
    assert.equal(due({ tier: 'C', lastFollowUpAt: NOW - 31 * DAY_MS }), true);
    assert.equal(due({ tier: 'C', lastFollowUpAt: null }), true);
    assert.equal(due({ tier: 'C', lastFollowUpAt: null, createdAt: NOW - 5 * DAY_MS }), false);
    assert.equal(
      due({ tier: 'C', lastFollowUpAt: NOW - 90 * DAY_MS, assignedAt: NOW - 2 * DAY_MS }),
      false,
      'freshly claimed',
    );
    assert.equal(due({ tier: 'C', lastFollowUpAt: NOW - 90 * DAY_MS, archived: true }), false);
    assert.equal(due({ tier: 'C', lastFollowUpAt: NOW - 90 * DAY_MS, inPool: true }), false);
    assert.equal(due({ tier: 'C', lastFollowUpAt: NOW - 90 * DAY_MS, ownerId: null }), false);
  });
  it('never releases an account with an open deal; a recent stage change or close restarts the clock', () => {
    const due = (item: Partial<PoolCandidate>) =>
      isDueForRelease({ ...base, tier: 'C', lastFollowUpAt: NOW - 400 * DAY_MS, ...item }, NOW, DEFAULT_SETTINGS);
    assert.equal(due({}), true);
    assert.equal(due({ openOpportunities: 1 }), false, 'an open deal, however old');
    assert.equal(due({ lastStageActivityAt: NOW - 10 * DAY_MS }), false, 'a deal closed 10 days ago');
    assert.equal(due({ lastStageActivityAt: NOW - 31 * DAY_MS }), true);
  });
  it('days in pool and claim allowance', () => {
    assert.equal(daysInPool(NOW - 3.5 * DAY_MS, NOW), 3);
    assert.equal(daysInPool(null, NOW), 0);
    assert.deepEqual(claimAllowance(198, { claimLimit: 200 }), { limit: 200, held: 198, remaining: 2 });
    assert.equal(claimAllowance(250, { claimLimit: 200 }).remaining, 0);
  });
});

describe('handover rules (docs/archive.md)', () => {
  it('who may hand over whom', () => {
    const manager = { role: 'manager' as const, userId: 1, unitPath: '/1/4/' };
    assert.equal(canHandOver(manager, { id: 2, unitPath: '/1/4/9/' }), true);
    assert.equal(canHandOver(manager, { id: 2, unitPath: '/1/44/' }), false);
    assert.equal(canHandOver(manager, { id: 1, unitPath: '/1/4/' }), false);
    assert.equal(canHandOver({ role: 'admin', userId: 1, unitPath: '/1/' }, { id: 9, unitPath: '/1/5/' }), true);
    assert.equal(canHandOver({ role: 'rep', userId: 1, unitPath: '/1/4/' }, { id: 9, unitPath: '/1/4/' }), false);
  });
  it('successor roles per item kind', () => {
    assert.equal(canTakeOver('account', 'rep'), true);
    assert.equal(canTakeOver('account', 'presales'), false);
    assert.equal(canTakeOver('relationship', 'presales'), true);
    assert.equal(canTakeOver('territory', 'executive'), false);
  });
  it('notes and what blocks completion', () => {
    assert.deepEqual(noteGaps(null), ['state', 'openIssues', 'keyContacts']);
    assert.deepEqual(noteGaps({ state: 'ok', openIssues: ' ', keyContacts: '', contactIds: [3] }), ['openIssues']);
    assert.equal(parseNote('not json'), null);
    const note = { state: 's', openIssues: 'o', keyContacts: 'k', contactIds: [] };
    assert.deepEqual(
      missingForCompletion([
        { itemId: 1, category: 'account', toUserId: null, keyAccount: true, note: null },
        { itemId: 2, category: 'account', toUserId: 5, keyAccount: true, note },
        { itemId: 3, category: 'account', toUserId: 5, keyAccount: false, note: null },
        { itemId: 4, category: 'team', toUserId: null, keyAccount: false, note: null },
      ]),
      [
        { itemId: 1, category: 'account', problem: 'no_successor' },
        { itemId: 1, category: 'account', problem: 'no_note' },
        { itemId: 4, category: 'team', problem: 'no_successor' },
      ],
    );
  });
});
