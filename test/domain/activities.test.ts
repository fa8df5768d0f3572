import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  canChangeStatus,
  DEFAULT_QUALIFYING_TYPES,
  followUpAt,
  followUpEffect,
  type FollowUpFacts,
} from '../../src/domain/activities.ts';

/** What a write of one activity does to its account's last follow-up (docs/rhythm.md § Activities). */
describe('activities: the follow-up effect of a write', () => {
  const qualifyingTypes = DEFAULT_QUALIFYING_TYPES;
  const visit = (item: Partial<FollowUpFacts> = {}): FollowUpFacts => ({
    accountId: 1,
    type: 'visit',
    status: 'done',
    startAt: 1000,
    archived: false,
    ...item,
  });

  it('counts done, qualifying, unarchived activities only', () => {
    assert.equal(followUpAt(visit(), qualifyingTypes), 1000);
    assert.equal(followUpAt(visit({ type: 'email' }), qualifyingTypes), null);
    assert.equal(followUpAt(visit({ status: 'planned' }), qualifyingTypes), null);
    assert.equal(followUpAt(visit({ status: 'cancelled' }), qualifyingTypes), null);
    assert.equal(followUpAt(visit({ archived: true }), qualifyingTypes), null);
    assert.equal(followUpAt(visit({ type: 'wechat' }), ['wechat']), 1000);
  });

  it('a new or later follow-up raises; nothing falls back', () => {
    assert.deepEqual(followUpEffect(null, visit(), qualifyingTypes), {
      raise: [{ accountId: 1, at: 1000 }],
      fallBack: [],
    });
    assert.deepEqual(followUpEffect(visit(), visit({ startAt: 2000 }), qualifyingTypes), {
      raise: [{ accountId: 1, at: 2000 }],
      fallBack: [],
    });
    assert.deepEqual(followUpEffect(null, visit({ type: 'email' }), qualifyingTypes), { raise: [], fallBack: [] });
    assert.deepEqual(followUpEffect(visit({ status: 'planned' }), visit(), qualifyingTypes), {
      raise: [{ accountId: 1, at: 1000 }],
      fallBack: [],
    });
  });

  it('moving earlier, to another type, state or account, or archiving may take the newest away: fall back', () => {
    assert.deepEqual(followUpEffect(visit(), visit({ startAt: 500 }), qualifyingTypes), {
      raise: [{ accountId: 1, at: 500 }],
      fallBack: [{ accountId: 1, since: 1000 }],
    });
    assert.deepEqual(followUpEffect(visit(), visit({ type: 'email' }), qualifyingTypes), {
      raise: [],
      fallBack: [{ accountId: 1, since: 1000 }],
    });
    assert.deepEqual(followUpEffect(visit(), visit({ archived: true }), qualifyingTypes), {
      raise: [],
      fallBack: [{ accountId: 1, since: 1000 }],
    });
    assert.deepEqual(followUpEffect(visit(), visit({ accountId: 2 }), qualifyingTypes), {
      raise: [{ accountId: 2, at: 1000 }],
      fallBack: [{ accountId: 1, since: 1000 }],
    });
    assert.deepEqual(followUpEffect(visit({ type: 'email' }), visit({ type: 'email', startAt: 1 }), qualifyingTypes), {
      raise: [],
      fallBack: [],
    });
  });

  it('a done activity stays done', () => {
    assert.equal(canChangeStatus('planned', 'done'), true);
    assert.equal(canChangeStatus('planned', 'cancelled'), true);
    assert.equal(canChangeStatus('cancelled', 'planned'), true);
    assert.equal(canChangeStatus('cancelled', 'done'), false);
    assert.equal(canChangeStatus('done', 'planned'), false);
    assert.equal(canChangeStatus('done', 'done'), true);
  });
});
