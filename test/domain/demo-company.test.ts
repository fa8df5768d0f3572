import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_SIGN_INS, generateDemoCompany } from '../../src/demo/company.ts';
import { ROLES } from '../../src/domain/roles.ts';

describe('demo company generator', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    assert.deepEqual(generateDemoCompany({ seed: 7 }), generateDemoCompany({ seed: 7 }));
    assert.notDeepEqual(generateDemoCompany({ seed: 7 }).users, generateDemoCompany({ seed: 8 }).users);
  });

  it('has a group → 3 regions → branches → departments tree and about 30 users covering every role', () => {
    const c = generateDemoCompany();
    const byType = (t: string) => c.units.filter((u) => u.type === t);
    assert.equal(byType('group').length, 1);
    assert.equal(byType('region').length, 3);
    assert.ok(byType('branch').length >= 6);
    const branchKeys = new Set(byType('branch').map((b) => b.key));
    assert.ok(byType('department').filter((d) => d.parent && branchKeys.has(d.parent)).length >= 8);
    assert.ok(c.units.some((u) => u.name.includes('大客户部')));
    assert.ok(c.users.length >= 25 && c.users.length <= 40, `${c.users.length} users`);
    for (const role of ROLES) assert.ok(c.users.some((u) => u.role === role), role);
    const keys = new Set(c.units.map((u) => u.key));
    assert.ok(c.users.every((u) => keys.has(u.unit)));
    assert.equal(new Set(c.users.map((u) => u.email)).size, c.users.length, 'unique emails');
  });

  it('documents one sign-in per role, and those users exist', () => {
    assert.deepEqual(DEMO_SIGN_INS.map((s) => s.role).sort(), [...ROLES].sort());
    const emails = new Set(generateDemoCompany().users.map((u) => u.email));
    assert.ok(DEMO_SIGN_INS.every((s) => emails.has(s.email)));
    assert.ok(emails.has('admin@demo.keyline.dev'));
  });

  it('scales the sales force for benchmark-sized data', () => {
    const small = generateDemoCompany({ scale: 1 }).users.filter((u) => u.role === 'rep').length;
    const big = generateDemoCompany({ scale: 10 }).users.filter((u) => u.role === 'rep').length;
    assert.ok(big >= small * 8, `${small} → ${big}`);
  });
});
