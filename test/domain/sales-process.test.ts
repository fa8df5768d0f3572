import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideStrategy } from '../../src/domain/win-strategy.ts';
import { STRATEGY_LEAVES } from '../fixtures/strategy-leaves.ts';
import {
  checkGathered,
  checkStageMove,
  classifyProblems,
  gatheredStatus,
  sizeClass,
  type EvidenceGiven,
  type GateStage,
} from '../../src/domain/stage-gate.ts';
import { PROCESS_TEMPLATES } from '../../src/domain/sales-process-templates.ts';
import { qualificationScore, stageAheadOfBuyer, weakenedFacts } from '../../src/domain/buying-phase.ts';

describe('win strategy tree (docs/sales-process.md § Win strategy): every leaf', () => {
  for (const [answers, strategy] of STRATEGY_LEAVES) {
    it(`${JSON.stringify(answers)} → ${strategy}`, () => {
      const result = decideStrategy(answers);
      assert.equal(result.done, true);
      assert.equal(result.done && result.strategy, strategy);
      assert.deepEqual(
        result.path.map((s) => s.question),
        Object.keys(answers),
        'the path is exactly the questions asked',
      );
    });
  }

  it('asks the next question while the answers are incomplete, ignoring answers off the path', () => {
    assert.deepEqual(decideStrategy({}), { done: false, next: 'urgentNeed', path: [] });
    const result = decideStrategy({ urgentNeed: true, canDeliver: true, strategic: true });
    assert.equal(result.done, false);
    assert.equal(!result.done && result.next, 'incumbent');
    assert.deepEqual(
      result.path.map((s) => s.question),
      ['urgentNeed', 'canDeliver'],
    );
  });
});

describe('stage gates (docs/sales-process.md)', () => {
  const stages: GateStage[] = [
    {
      id: 1,
      position: 0,
      evidence: [
        { key: 'need', requires: 'note' },
        { key: 'budget', requires: 'check' },
      ],
    },
    { id: 2, position: 1, evidence: [{ key: 'proposal', requires: 'attachment' }] },
    { id: 3, position: 2, evidence: [{ key: 'signed', requires: 'attachment' }] },
    { id: 4, position: 3, evidence: [] },
  ];

  it('moves forward with the evidence of the stage being left', () => {
    const moveCheck = checkStageMove(
      stages,
      1,
      2,
      [
        { stageId: 1, key: 'need', note: '产线良率问题' },
        { stageId: 1, key: 'budget' },
      ],
      { canOverride: false },
    );
    assert.deepEqual(moveCheck, { ok: true, direction: 'forward', skipped: [], overridden: [] });
  });

  it('lists every missing item, with what each needs', () => {
    const moveCheck = checkStageMove(stages, 1, 2, [{ stageId: 1, key: 'need', note: '  ' }], { canOverride: false });
    assert.deepEqual(moveCheck, {
      ok: false,
      error: 'evidence_missing',
      missing: [
        { stageId: 1, key: 'need', problem: 'note_required' },
        { stageId: 1, key: 'budget', problem: 'missing' },
      ],
    });
  });

  it('skips only with the evidence of every skipped stage', () => {
    const base = [
      { stageId: 1, key: 'need', note: 'x' },
      { stageId: 1, key: 'budget' },
    ];
    const moveCheck = checkStageMove(stages, 1, 3, base, { canOverride: false });
    assert.deepEqual(moveCheck, {
      ok: false,
      error: 'evidence_missing',
      missing: [{ stageId: 2, key: 'proposal', problem: 'missing' }],
    });
    const noFile = checkStageMove(stages, 1, 3, [...base, { stageId: 2, key: 'proposal' }], { canOverride: false });
    assert.equal(!noFile.ok && noFile.missing[0]!.problem, 'attachment_required');
    const ok = checkStageMove(stages, 1, 3, [...base, { stageId: 2, key: 'proposal', attachmentId: 9 }], {
      canOverride: false,
    });
    assert.deepEqual(ok, { ok: true, direction: 'forward', skipped: [2], overridden: [] });
  });

  it('lets a manager override missing items with a reason, and nobody else', () => {
    assert.deepEqual(checkStageMove(stages, 1, 2, [], { canOverride: false, override: true, reason: 'x' }), {
      ok: false,
      error: 'override_forbidden',
      missing: [],
    });
    assert.deepEqual(checkStageMove(stages, 1, 2, [], { canOverride: true, override: true }), {
      ok: false,
      error: 'reason_required',
      missing: [
        { stageId: 1, key: 'need', problem: 'missing' },
        { stageId: 1, key: 'budget', problem: 'missing' },
      ],
    });
    const moveCheck = checkStageMove(stages, 1, 2, [], {
      canOverride: true,
      override: true,
      reason: '老客户复购，需求已明确',
    });
    assert.equal(moveCheck.ok && moveCheck.overridden.length, 2);
  });

  it('moves back only with a reason; rejects stages of another process', () => {
    assert.deepEqual(checkStageMove(stages, 3, 1, [], { canOverride: false }), {
      ok: false,
      error: 'reason_required',
      missing: [],
    });
    assert.deepEqual(checkStageMove(stages, 3, 1, [], { canOverride: false, reason: '客户重新评估' }), {
      ok: true,
      direction: 'back',
      skipped: [],
      overridden: [],
    });
    assert.deepEqual(checkStageMove(stages, 1, 99, [], { canOverride: true }), {
      ok: false,
      error: 'unknown_stage',
      missing: [],
    });
  });

  it('refuses evidence that proves nothing of this move: a stage not left or skipped, an item the stage does not have', () => {
    const full = [
      { stageId: 1, key: 'need', note: 'x' },
      { stageId: 1, key: 'budget' },
    ];
    const invalid = (evidence: EvidenceGiven[], from = 1, to = 2) => {
      const moveCheck = checkStageMove(stages, from, to, evidence, { canOverride: true, reason: 'r' });
      return !moveCheck.ok && moveCheck.error === 'evidence_invalid' ? moveCheck.invalid : moveCheck;
    };
    assert.deepEqual(invalid([...full, { stageId: 1, key: 'zzz' }]), {
      index: 2,
      field: 'key',
      problem: 'unknown_key',
    });
    assert.deepEqual(
      invalid([{ stageId: 2, key: 'proposal' }, ...full]),
      { index: 0, field: 'stageId', problem: 'stage_not_gated' },
      'the target stage is not being left',
    );
    assert.deepEqual(invalid([{ stageId: 99, key: 'need' }]), {
      index: 0,
      field: 'stageId',
      problem: 'stage_not_gated',
    });
    assert.deepEqual(
      invalid([{ stageId: 1, key: 'need' }], 3, 1),
      { index: 0, field: 'stageId', problem: 'stage_not_gated' },
      'moving back proves nothing',
    );
    assert.deepEqual(invalid([{ stageId: 1, key: 'need' }], 1, 1), {
      index: 0,
      field: 'stageId',
      problem: 'stage_not_gated',
    });
    assert.deepEqual(
      invalid([...full, { stageId: 2, key: 'proposal', attachmentId: 1 }], 1, 3),
      { ok: true, direction: 'forward', skipped: [2], overridden: [] },
      "a skipped stage's items count",
    );
  });

  it("keeps evidence gathered before a move only for the current stage's items, each once and complete", () => {
    const [first, second] = stages as [GateStage, GateStage];
    assert.equal(checkGathered(first, []), null, 'nothing gathered yet');
    assert.equal(checkGathered(first, [{ stageId: 1, key: 'budget' }]), null, 'one item of several');
    assert.equal(
      checkGathered(first, [
        { stageId: 1, key: 'need', note: '产线良率问题' },
        { stageId: 1, key: 'budget' },
      ]),
      null,
    );
    assert.deepEqual(checkGathered(first, [{ stageId: 2, key: 'proposal', attachmentId: 1 }]), {
      index: 0,
      field: 'stageId',
      problem: 'not_current_stage',
    });
    assert.deepEqual(
      checkGathered(first, [
        { stageId: 1, key: 'budget' },
        { stageId: 1, key: 'zzz' },
      ]),
      { index: 1, field: 'key', problem: 'unknown_key' },
    );
    assert.deepEqual(
      checkGathered(first, [
        { stageId: 1, key: 'budget' },
        { stageId: 1, key: 'budget' },
      ]),
      { index: 1, field: 'key', problem: 'duplicate' },
    );
    assert.deepEqual(checkGathered(first, [{ stageId: 1, key: 'need', note: ' ' }]), {
      index: 0,
      field: 'note',
      problem: 'note_required',
    });
    assert.deepEqual(checkGathered(second, [{ stageId: 2, key: 'proposal' }]), {
      index: 0,
      field: 'attachmentId',
      problem: 'attachment_required',
    });
  });

  it("counts the current stage's complete items against the stage as defined now", () => {
    const [first] = stages as [GateStage];
    assert.deepEqual(gatheredStatus(first, []), { given: 0, required: 2 });
    assert.deepEqual(gatheredStatus(first, [{ stageId: 1, key: 'budget' }]), { given: 1, required: 2 });
    assert.deepEqual(
      gatheredStatus(first, [
        { stageId: 1, key: 'budget' },
        { stageId: 1, key: 'need' },
      ]),
      { given: 1, required: 2 },
      'a note item without its note is not done',
    );
    assert.deepEqual(
      gatheredStatus({ evidence: [{ key: 'budget', requires: 'check' }] }, [
        { stageId: 1, key: 'need', note: 'x' },
        { stageId: 1, key: 'budget' },
      ]),
      { given: 1, required: 1 },
      'an item removed since does not count',
    );
    assert.deepEqual(gatheredStatus(stages[3]!, []), { given: 0, required: 0 });
  });
});

describe('problem classification, buying phase, qualification, size', () => {
  const DAY = 86_400_000;
  const base = {
    now: 100 * DAY,
    enteredStageAt: 90 * DAY,
    expectedDays: 7,
    nextStep: '技术交流',
    nextStepDate: '2026-12-01',
    today: '2026-11-24',
    qualificationWeakened: false,
    markedAdvantageLost: false,
  };
  it('flags stalled after expected duration × 1.5, no plan, and advantage lost', () => {
    assert.deepEqual(classifyProblems(base), []);
    assert.deepEqual(classifyProblems({ ...base, enteredStageAt: 89 * DAY }), ['stalled'], '11 days > 7 × 1.5');
    assert.deepEqual(classifyProblems({ ...base, nextStepDate: '2026-11-23' }), ['no_plan']);
    assert.deepEqual(classifyProblems({ ...base, nextStep: null }), ['no_plan']);
    assert.deepEqual(classifyProblems({ ...base, markedAdvantageLost: true }), ['advantage_lost']);
  });

  it('warns when the sales stage runs ahead of the buying phase', () => {
    assert.equal(stageAheadOfBuyer('evaluate', 'aware'), true);
    assert.equal(stageAheadOfBuyer('decide', 'criteria'), false);
    assert.equal(stageAheadOfBuyer(null, 'aware'), false);
  });

  it('scores qualification and detects weakened facts', () => {
    assert.equal(qualificationScore({}), 0);
    assert.equal(
      qualificationScore({ pain: { answer: 'yes' }, power: { answer: 'partly' }, vision: { answer: 'no' } }),
      25,
    );
    assert.deepEqual(
      weakenedFacts(
        { pain: { answer: 'yes' }, power: { answer: 'partly' } },
        { pain: { answer: 'partly' }, power: { answer: 'partly' } },
      ),
      ['pain'],
    );
  });

  it('derives the size class from the amount (docs/sales-process.md § The opportunity, 200,000)', () => {
    assert.equal(sizeClass(199_999_99, 200_000_00), 'small');
    assert.equal(sizeClass(200_000_00, 200_000_00), 'large');
  });
});

describe('the four process templates (docs/sales-process.md § Sales processes and stages)', () => {
  const probs = (key: string) => PROCESS_TEMPLATES.find((p) => p.key === key)!.stages.map((s) => s.probability);
  it('ship with the probabilities the method gives', () => {
    assert.deepEqual(probs('small'), [20, 35, 70, 100]);
    assert.deepEqual(probs('large'), [10, 20, 30, 50, 70, 100]);
    assert.deepEqual(probs('seven_steps'), [0, 10, 20, 30, 50, 70, 100]);
    assert.deepEqual(probs('p0_p7'), [10, 20, 25, 30, 50, 75, 90, 100]);
  });
  it('end each in a won stage, with bilingual names and unique evidence keys per stage', () => {
    for (const processTemplate of PROCESS_TEMPLATES) {
      assert.equal(processTemplate.stages.at(-1)!.won, true, processTemplate.key);
      assert.equal(processTemplate.stages.filter((s) => s.won).length, 1);
      for (const stage of processTemplate.stages) {
        assert.ok(stage.name.zh && stage.name.en);
        assert.equal(new Set(stage.evidence.map((e) => e.key)).size, stage.evidence.length);
      }
    }
  });
});
