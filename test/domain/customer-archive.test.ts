import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { creditCodeCheckChar, creditCodeProblem, makeCreditCode } from '../../src/domain/credit-code.ts';
import { companyNameKey, nameSimilarity, SIMILAR_NAME_THRESHOLD } from '../../src/domain/company-name.ts';
import { analyseRelationshipMap, wouldCreateCycle, type MapRole } from '../../src/domain/relationship-map.ts';
import { matchTerritory, type TerritoryRule } from '../../src/domain/territory.ts';
import { followUpDueAt, followUpDueDate, isFollowUpOverdue, overdueThresholds } from '../../src/domain/cadence.ts';
import { DEFAULT_SETTINGS, workspaceSettings } from '../../src/domain/settings.ts';
import { accountReach, canEditAccount, canManageAccount, type Actor } from '../../src/domain/policy.ts';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts published codes and computes their check character', () => {
    // Codes printed on public business licences.
    for (const code of ['91440300708461136T', '91110000100010433L', '91310000132200821H']) {
      assert.equal(creditCodeProblem(code), null, code);
      assert.equal(creditCodeCheckChar(code.slice(0, 17)), code[17]);
    }
  });

  it('names what is wrong with a bad code', () => {
    assert.match(creditCodeProblem('9144030070846113')!, /18 characters/);
    assert.match(creditCodeProblem('91440300708461136I')!, /"I"/);
    assert.match(creditCodeProblem('91440300708461136U')!, /check character/);
  });

  it('makes valid codes for demo data', () => {
    const creditCode = makeCreditCode('91330100MA2H3K7X0');
    assert.equal(creditCode.length, 18);
    assert.equal(creditCodeProblem(creditCode), null);
  });
});

describe('company names: duplicate warnings', () => {
  it('drops place prefixes, legal forms and punctuation', () => {
    assert.equal(companyNameKey('深圳市华为技术有限公司'), '华为技术');
    assert.equal(companyNameKey('华为技术有限公司'), '华为技术');
    assert.equal(companyNameKey('华为技术（深圳）有限公司'), '华为技术');
    assert.equal(companyNameKey('上海电气集团股份有限公司'), '电气');
    assert.equal(companyNameKey('ACME Co., Ltd.'), 'acme');
  });

  it('scores near-duplicates above the warning threshold and different companies below it', () => {
    assert.equal(nameSimilarity(companyNameKey('深圳市华为技术有限公司'), companyNameKey('华为技术有限公司')), 1);
    assert.ok(nameSimilarity('海康威视数字技术', '海康威视数字') >= SIMILAR_NAME_THRESHOLD);
    assert.ok(nameSimilarity('海康威视数字技术', '京东方科技') < SIMILAR_NAME_THRESHOLD);
    assert.equal(nameSimilarity('a', 'b'), 0);
  });
});

describe('relationship map analysis (docs/archive.md § Buying roles)', () => {
  const role = (over: Partial<MapRole>): MapRole => ({
    contactId: 1,
    role: 'decision_maker',
    attitude: 'neutral',
    influence: 'high',
    relationship: 3,
    holderUserId: 7,
    ...over,
  });

  it('reports every missing role on an empty map, with a zero score', () => {
    const analysis = analyseRelationshipMap([]);
    assert.deepEqual(
      analysis.gaps.map((g) => g.kind === 'missing_role' && g.role),
      ['decision_maker', 'finance', 'supporter', 'technical', 'user'],
    );
    assert.equal(analysis.coverage, 0);
  });

  it('flags opponents, weak high-influence relationships and relationships nobody holds', () => {
    const analysis = analyseRelationshipMap([
      role({ contactId: 1, attitude: 'opposes', relationship: 1 }),
      role({ contactId: 2, role: 'technical', influence: 'medium', holderUserId: null }),
    ]);
    const kinds = analysis.gaps.map((g) => `${g.kind}:${'contactId' in g ? g.contactId : g.role}`);
    assert.ok(kinds.includes('opponent:1'));
    assert.ok(kinds.includes('weak_high_influence:1'));
    assert.ok(kinds.includes('no_holder:2'));
    assert.ok(kinds.includes('missing_role:finance'));
    assert.ok(!kinds.includes('missing_role:decision_maker'));
    assert.ok(!kinds.includes('no_holder:1'), 'contact 1 has a holder');
  });

  it('says both when a high-influence contact is shallow and nobody of ours holds the relationship', () => {
    const kinds = analyseRelationshipMap([role({ contactId: 3, relationship: 2, holderUserId: null })]).gaps.map(
      (g) => g.kind,
    );
    assert.ok(kinds.includes('weak_high_influence') && kinds.includes('no_holder'), kinds.join());
  });

  it('scores a full map of allies at 100 and weighs influence', () => {
    const all = (['decision_maker', 'finance', 'supporter', 'technical', 'user'] as const).map((row, index) =>
      role({ contactId: index + 1, role: row, attitude: 'supports', relationship: 5 }),
    );
    const full = analyseRelationshipMap(all);
    assert.equal(full.coverage, 100);
    assert.deepEqual(full.gaps, []);
    // 5/5 roles (40) + strength 0 (0) + neutral support 0.5 (10) = 50.
    const cold = analyseRelationshipMap(all.map((r) => ({ ...r, attitude: 'neutral', relationship: 1 })));
    assert.equal(cold.coverage, 50);
  });

  it('detects reporting cycles', () => {
    const managerOf = new Map<number, number | null>([
      [1, null],
      [2, 1],
      [3, 2],
    ]);
    assert.equal(wouldCreateCycle(1, 3, managerOf), true, '1 → 3 → 2 → 1');
    assert.equal(wouldCreateCycle(3, 1, managerOf), false);
    assert.equal(wouldCreateCycle(2, null, managerOf), false);
  });
});

describe('territory matching (docs/organisation.md)', () => {
  const rule = (id: number, userId: number, over: Partial<TerritoryRule>): TerritoryRule => ({
    id,
    userId,
    province: null,
    city: null,
    district: null,
    industry: null,
    ...over,
  });
  const place = { province: '广东省', city: '深圳市', district: '南山区', industry: 'electronics' };

  it('gives the account to the most specific matching rule', () => {
    const rules = [
      rule(1, 10, { province: '广东省' }),
      rule(2, 20, { province: '广东省', city: '深圳市', industry: 'electronics' }),
      rule(3, 30, { province: '北京市' }),
    ];
    assert.deepEqual(matchTerritory(rules, place), { kind: 'assigned', userId: 20, ruleIds: [2] });
    assert.deepEqual(matchTerritory(rules, { ...place, city: '广州市' }), {
      kind: 'assigned',
      userId: 10,
      ruleIds: [1],
    });
    assert.deepEqual(matchTerritory(rules, { ...place, province: '上海市' }), { kind: 'none' });
  });

  it('reports a conflict when equally specific rules name different reps', () => {
    const rules = [
      rule(1, 10, { province: '广东省', industry: 'electronics' }),
      rule(2, 20, { province: '广东省', city: '深圳市' }),
    ];
    assert.deepEqual(matchTerritory(rules, place), { kind: 'conflict', userIds: [10, 20], ruleIds: [1, 2] });
  });
});

describe('follow-up cadence by tier (docs/archive.md § Follow-up cadence)', () => {
  const DAY = 86_400_000;
  it('is due 7, 15 and 30 days after the last follow-up for A, B and C by default', () => {
    const settings = workspaceSettings('{}');
    assert.equal(followUpDueAt(0, 99, 'A', settings), 7 * DAY);
    assert.equal(followUpDueAt(0, 99, 'B', settings), 15 * DAY);
    assert.equal(followUpDueAt(null, 5, 'C', settings), 5 + 30 * DAY, 'from creation when never followed up');
    const afternoon = 100 * DAY + 15 * 3_600_000;
    assert.deepEqual(
      overdueThresholds(afternoon, settings, 'UTC'),
      { A: 93 * DAY, B: 85 * DAY, C: 70 * DAY },
      'overdue = last follow-up before the start of (today − N days): the time of day does not count',
    );
  });

  it('is due on a date in the workspace time zone and overdue only once that date has passed', () => {
    const settings = workspaceSettings('{}');
    const zone = 'Asia/Shanghai';
    const lastVisit = Date.parse('2026-12-01T15:00:00+08:00');
    assert.equal(followUpDueDate(lastVisit, 0, 'A', settings, zone), '2026-12-08');
    // Before: due at 15:00 on the 8th, so red from that afternoon although the desk said "due 12-08".
    assert.equal(isFollowUpOverdue('2026-12-08', Date.parse('2026-12-08T23:30:00+08:00'), zone), false);
    assert.equal(isFollowUpOverdue('2026-12-08', Date.parse('2026-12-09T00:10:00+08:00'), zone), true);
    // A visit late in the evening counts for its local date, not the UTC one.
    assert.equal(followUpDueDate(Date.parse('2026-12-01T23:30:00+08:00'), 0, 'A', settings, zone), '2026-12-08');
    // The SQL threshold says the same as the per-row rule, on both sides of the boundary.
    const now = Date.parse('2026-12-09T10:00:00+08:00');
    const threshold = overdueThresholds(now, settings, zone).A;
    assert.equal(threshold, Date.parse('2026-12-02T00:00:00+08:00'));
    for (const clock of [threshold - 1, threshold, lastVisit]) {
      const due = followUpDueDate(clock, 0, 'A', settings, zone);
      assert.equal(clock < threshold, isFollowUpOverdue(due, now, zone), new Date(clock).toISOString());
    }
  });

  it('takes workspace overrides over the defaults and survives bad JSON', () => {
    const settings = workspaceSettings('{"followUpDays":{"A":3},"claimLimit":50}');
    assert.deepEqual(settings.followUpDays, { A: 3, B: 15, C: 30 });
    assert.equal(settings.claimLimit, 50);
    assert.deepEqual(workspaceSettings('not json'), DEFAULT_SETTINGS);
  });
});

describe('account visibility and rights (docs/organisation.md)', () => {
  const actor = (role: Actor['role']): Actor => ({
    workspaceId: 1,
    userId: 5,
    role,
    orgUnitId: 9,
    unitPath: '/1/4/9/',
    now: 0,
    exportGranted: false,
  });
  const facts = { ownerId: 5, unitPath: '/1/4/9/', inPool: false, onTeam: false };

  it('gives reps their own accounts and the pools of their unit and the units above', () => {
    assert.deepEqual(accountReach(actor('rep')), { kind: 'own', userId: 5, poolUnitIds: [1, 4, 9] });
    assert.deepEqual(accountReach(actor('presales')), { kind: 'team', userId: 5 });
    assert.deepEqual(accountReach(actor('auditor')), { kind: 'none' });
    assert.deepEqual(accountReach(actor('manager')), { kind: 'subtree', path: '/1/4/9/' });
  });

  it('lets owners and team members edit, and only managers above and admins reassign', () => {
    assert.equal(canEditAccount(actor('rep'), facts), true);
    assert.equal(canEditAccount(actor('rep'), { ...facts, ownerId: 6 }), false);
    assert.equal(canEditAccount(actor('rep'), { ...facts, ownerId: 6, onTeam: true }), true);
    assert.equal(canEditAccount(actor('rep'), { ...facts, inPool: true, ownerId: null }), false, 'claim first');
    assert.equal(canManageAccount(actor('rep'), facts), false);
    assert.equal(canManageAccount(actor('manager'), { unitPath: '/1/4/9/12/' }), true);
    assert.equal(canManageAccount(actor('manager'), { unitPath: '/1/4/' }), false);
    assert.equal(canEditAccount(actor('executive'), facts), false, 'read-mostly');
  });
});
