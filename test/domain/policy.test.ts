import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canAdministerWorkspace, canExport, defaultExportPermission, reachesUnit, unitReach, type Actor } from '../../src/domain/policy.ts';
import { ROLES, type Role } from '../../src/domain/roles.ts';

const actor = (role: Role, unitPath = '/1/2/5/'): Actor => ({ workspaceId: 1, userId: 9, role, orgUnitId: 5, unitPath, now: 0 });

describe('policy: unit reach by role (SPEC §2)', () => {
  it('gives admin and executive the whole workspace', () => {
    for (const role of ['admin', 'executive'] as const) {
      assert.deepEqual(unitReach(actor(role)), { kind: 'workspace' });
      assert.equal(reachesUnit(actor(role), '/1/3/7/'), true);
    }
  });

  it('gives a manager the subtree under their unit, and nothing beside or above it', () => {
    const m = actor('manager');
    assert.deepEqual(unitReach(m), { kind: 'subtree', path: '/1/2/5/' });
    assert.equal(reachesUnit(m, '/1/2/5/'), true);
    assert.equal(reachesUnit(m, '/1/2/5/11/40/'), true);
    assert.equal(reachesUnit(m, '/1/2/'), false);
    assert.equal(reachesUnit(m, '/1/2/6/'), false);
    // "/1/2/5" must not be read as a prefix of "/1/2/55/": paths end in a slash.
    assert.equal(reachesUnit(m, '/1/2/55/'), false);
  });

  it('gives every other role their own unit only', () => {
    for (const role of ['rep', 'presales', 'auditor', 'finance'] as const) {
      assert.deepEqual(unitReach(actor(role)), { kind: 'unit', unitId: 5, path: '/1/2/5/' });
      assert.equal(reachesUnit(actor(role), '/1/2/5/'), true);
      assert.equal(reachesUnit(actor(role), '/1/2/5/11/'), false);
    }
  });

  it('lets only admins administer the workspace', () => {
    assert.deepEqual(ROLES.filter((r) => canAdministerWorkspace(actor(r))), ['admin']);
  });

  it('makes export a permission: off for reps and presales by default, always on for admins (SPEC §3.4)', () => {
    assert.deepEqual(ROLES.filter(defaultExportPermission), ['admin', 'executive', 'manager', 'finance']);
    assert.equal(canExport(actor('admin'), false), true);
    assert.equal(canExport(actor('rep'), false), false);
    assert.equal(canExport(actor('rep'), true), true);
  });
});
