import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  can,
  capabilities,
  defaultExportPermission,
  reachesUnit,
  unitReach,
  type Actor,
} from '../../src/domain/policy.ts';
import { CAPABILITIES, type Capability } from '../../src/contracts/capabilities.ts';
import { ROLES, type Role } from '../../src/domain/roles.ts';

const actor = (role: Role, unitPath = '/1/2/5/', exportGranted = false): Actor => ({
  workspaceId: 1,
  userId: 9,
  role,
  orgUnitId: 5,
  unitPath,
  now: 0,
  exportGranted,
});

describe('policy: unit reach by role (docs/organisation.md)', () => {
  it('gives admin and executive the whole workspace', () => {
    for (const role of ['admin', 'executive'] as const) {
      assert.deepEqual(unitReach(actor(role)), { kind: 'workspace' });
      assert.equal(reachesUnit(actor(role), '/1/3/7/'), true);
    }
  });

  it('gives a manager the subtree under their unit, and nothing beside or above it', () => {
    const manager = actor('manager');
    assert.deepEqual(unitReach(manager), { kind: 'subtree', path: '/1/2/5/' });
    assert.equal(reachesUnit(manager, '/1/2/5/'), true);
    assert.equal(reachesUnit(manager, '/1/2/5/11/40/'), true);
    assert.equal(reachesUnit(manager, '/1/2/'), false);
    assert.equal(reachesUnit(manager, '/1/2/6/'), false);
    // "/1/2/5" must not be read as a prefix of "/1/2/55/": paths end in a slash.
    assert.equal(reachesUnit(manager, '/1/2/55/'), false);
  });

  it('gives every other role their own unit only', () => {
    for (const role of ['rep', 'presales', 'auditor', 'finance'] as const) {
      assert.deepEqual(unitReach(actor(role)), { kind: 'unit', unitId: 5, path: '/1/2/5/' });
      assert.equal(reachesUnit(actor(role), '/1/2/5/'), true);
      assert.equal(reachesUnit(actor(role), '/1/2/5/11/'), false);
    }
  });
});

describe('policy: capabilities of every role (issue 13)', () => {
  // Written out, not derived: a change of who may do what must change this table too.
  const expected: Record<Role, Capability[]> = {
    admin: [
      'accounts.read',
      'accounts.create',
      'accounts.write',
      'accounts.manage',
      'opportunities.read',
      'opportunities.write',
      'pool.read',
      'pool.release',
      'pool.assign',
      'pool.run',
      'territories.read',
      'territories.manage',
      'handover.manage',
      'import',
      'export',
      'audit.read',
      'processes.administer',
      'org.administer',
      'users.administer',
      'tasks.read',
      'tasks.write',
      'workspace.administer',
      'quotas.read',
      'quotas.manage',
      'funnel.read',
      'forecasts.read',
      'forecasts.adjust',
      'activities.read',
      'activities.write',
      'activities.supervise',
      'callbacks.read',
      'callbacks.draw',
    ],
    executive: [
      'accounts.read',
      'opportunities.read',
      'pool.read',
      'territories.read',
      'audit.read',
      'tasks.read',
      'quotas.read',
      'funnel.read',
      'forecasts.read',
      'forecasts.adjust',
      'activities.read',
      'activities.supervise',
      'callbacks.read',
    ],
    manager: [
      'accounts.read',
      'accounts.create',
      'accounts.write',
      'accounts.manage',
      'opportunities.read',
      'opportunities.write',
      'pool.read',
      'pool.claim',
      'pool.release',
      'pool.assign',
      'territories.read',
      'territories.manage',
      'handover.manage',
      'import',
      'tasks.read',
      'tasks.write',
      'quotas.read',
      'quotas.manage',
      'funnel.read',
      'forecasts.read',
      'forecasts.submit',
      'forecasts.adjust',
      'activities.read',
      'activities.write',
      'activities.supervise',
      'callbacks.read',
      'callbacks.draw',
    ],
    rep: [
      'accounts.read',
      'accounts.create',
      'accounts.write',
      'opportunities.read',
      'opportunities.write',
      'pool.read',
      'pool.claim',
      'pool.release',
      'import',
      'tasks.read',
      'tasks.write',
      'quotas.read',
      'funnel.read',
      'forecasts.read',
      'forecasts.submit',
      'activities.read',
      'activities.write',
    ],
    presales: [
      'accounts.read',
      'accounts.write',
      'opportunities.read',
      'opportunities.write',
      'tasks.read',
      'tasks.write',
      'quotas.read',
      'funnel.read',
      'forecasts.read',
      'activities.read',
      'activities.write',
    ],
    auditor: ['tasks.read', 'callbacks.read', 'callbacks.answer'],
    finance: [],
  };
  const sorted = (c: Iterable<Capability>) => [...c].sort((x, y) => CAPABILITIES.indexOf(x) - CAPABILITIES.indexOf(y));

  for (const role of ROLES) {
    it(`${role}: exactly the listed capabilities without an export grant`, () => {
      assert.deepEqual(sorted(capabilities(actor(role))), sorted(expected[role]));
    });
  }

  it('export: always for admins; for executives, managers, reps and presales only with their own grant; never for auditors and finance', () => {
    const exports = (exportGranted: boolean) => ROLES.filter((r) => can(actor(r, '/1/', exportGranted), 'export'));
    assert.deepEqual(exports(false), ['admin']);
    assert.deepEqual(exports(true), ['admin', 'executive', 'manager', 'rep', 'presales']);
  });

  it('whoever may export reads the lists the exports are made of', () => {
    for (const role of ROLES) {
      const held = capabilities(actor(role, '/1/', true));
      if (held.has('export')) assert.ok(held.has('accounts.read') && held.has('opportunities.read'), role);
    }
  });

  it('names only capabilities of the contract list, and every one of them is held by some role', () => {
    const held = new Set(ROLES.flatMap((r) => [...capabilities(actor(r, '/1/', true))]));
    assert.deepEqual(sorted(held), [...CAPABILITIES]);
  });

  it('gives the export grant by default to admins, executives and managers only (docs/archive.md § Import and export: reps off; finance has nothing to export)', () => {
    assert.deepEqual(ROLES.filter(defaultExportPermission), ['admin', 'executive', 'manager']);
  });
});
