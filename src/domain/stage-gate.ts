/**
 * Moving an opportunity through the stages of its sales process (docs/sales-process.md): "what is said
 * is done, what is done is seen" — a stage is left only with its evidence.
 *  - forward: the evidence of the stage being left;
 *  - skipping: also the evidence of every skipped stage;
 *  - a manager may override missing items, with a reason (logged);
 *  - backward: a reason.
 * Only the items of the stages being left or skipped count as evidence: anything else given is
 * refused, not stored. A new opportunity entering past the first stage is a move from the first.
 */
export interface GateStage {
  id: number;
  position: number;
  evidence: { key: string; requires: 'check' | 'note' | 'attachment' }[];
}

export interface EvidenceGiven {
  stageId: number;
  key: string;
  note?: string | null;
  attachmentId?: number | null;
}

export interface MissingEvidence {
  stageId: number;
  key: string;
  problem: 'missing' | 'note_required' | 'attachment_required';
}

/** An evidence item given that proves nothing of this move: its index and the field at fault. */
export interface InvalidEvidence {
  index: number;
  field: 'stageId' | 'key';
  problem: 'stage_not_gated' | 'unknown_key';
}

export type MoveCheck =
  | { ok: true; direction: 'forward' | 'back' | 'none'; skipped: number[]; overridden: MissingEvidence[] }
  | {
      ok: false;
      error: 'unknown_stage' | 'override_forbidden' | 'reason_required' | 'evidence_missing';
      missing: MissingEvidence[];
    }
  | { ok: false; error: 'evidence_invalid'; missing: MissingEvidence[]; invalid: InvalidEvidence };

export function checkStageMove(
  stages: readonly GateStage[],
  fromId: number,
  toId: number,
  evidence: readonly EvidenceGiven[],
  opts: { reason?: string | null; canOverride: boolean; override?: boolean },
): MoveCheck {
  const from = stages.find((s) => s.id === fromId);
  const to = stages.find((s) => s.id === toId);
  if (!from || !to) return { ok: false, error: 'unknown_stage', missing: [] };
  // Asking for an override one may not grant is refused as such, not as missing evidence.
  if (opts.override && !opts.canOverride) return { ok: false, error: 'override_forbidden', missing: [] };
  // The stage being left and every stage skipped must be proven (none when moving back or staying).
  const gated =
    to.position > from.position
      ? stages
          .filter((s) => s.position >= from.position && s.position < to.position)
          .sort((a, b) => a.position - b.position)
      : [];
  for (const [index, evidenceItem] of evidence.entries()) {
    const field = misplaced(gated, evidenceItem);
    if (field)
      return {
        ok: false,
        error: 'evidence_invalid',
        missing: [],
        invalid: { index, field, problem: field === 'stageId' ? 'stage_not_gated' : 'unknown_key' },
      };
  }
  if (to.position === from.position) return { ok: true, direction: 'none', skipped: [], overridden: [] };
  const hasReason = !!opts.reason && opts.reason.trim().length > 0;
  if (to.position < from.position) {
    return hasReason
      ? { ok: true, direction: 'back', skipped: [], overridden: [] }
      : { ok: false, error: 'reason_required', missing: [] };
  }
  const missing: MissingEvidence[] = [];
  for (const gatedStage of gated) {
    for (const item of gatedStage.evidence) {
      const given = evidence.find((e) => e.stageId === gatedStage.id && e.key === item.key);
      const problem = given ? unmet(item, given) : 'missing';
      if (problem) missing.push({ stageId: gatedStage.id, key: item.key, problem });
    }
  }
  const skipped = gated.filter((s) => s.id !== from.id).map((s) => s.id);
  if (missing.length === 0) return { ok: true, direction: 'forward', skipped, overridden: [] };
  if (opts.override) {
    return hasReason
      ? { ok: true, direction: 'forward', skipped, overridden: missing }
      : { ok: false, error: 'reason_required', missing };
  }
  return { ok: false, error: 'evidence_missing', missing };
}

/** Why an item given proves nothing among these stages: not one of them, or a key its stage does not have. */
function misplaced(stages: readonly GateStage[], evidenceGiven: EvidenceGiven): 'stageId' | 'key' | null {
  const stage = stages.find((s) => s.id === evidenceGiven.stageId);
  if (!stage) return 'stageId';
  return stage.evidence.some((item) => item.key === evidenceGiven.key) ? null : 'key';
}

/** What an item given still lacks of what its definition requires (a check needs nothing more). */
function unmet(
  item: GateStage['evidence'][number],
  given: EvidenceGiven,
): 'note_required' | 'attachment_required' | null {
  if (item.requires === 'note' && !given.note?.trim()) return 'note_required';
  if (item.requires === 'attachment' && !given.attachmentId) return 'attachment_required';
  return null;
}

/** An item of the evidence gathered for the current stage that cannot be kept: its index and the field at fault. */
export interface GatheredProblem {
  index: number;
  field: 'stageId' | 'key' | 'note' | 'attachmentId';
  problem: 'not_current_stage' | 'unknown_key' | 'duplicate' | 'note_required' | 'attachment_required';
}

/**
 * The evidence gathered for the current stage before it is left (docs/sales-process.md "what is done is
 * seen"): the same item rules as a move's gate — only that stage's items, each complete as it
 * requires — and each item once. A move still decides on what it is sent, not on this.
 */
export function checkGathered(stage: GateStage, evidence: readonly EvidenceGiven[]): GatheredProblem | null {
  const seen = new Set<string>();
  for (const [index, evidenceItem] of evidence.entries()) {
    const field = misplaced([stage], evidenceItem);
    if (field) return { index, field, problem: field === 'stageId' ? 'not_current_stage' : 'unknown_key' };
    if (seen.has(evidenceItem.key)) return { index, field: 'key', problem: 'duplicate' };
    seen.add(evidenceItem.key);
    const problem = unmet(
      stage.evidence.find((item) => item.key === evidenceItem.key)!,
      evidenceItem,
    );
    if (problem) return { index, field: problem === 'note_required' ? 'note' : 'attachmentId', problem };
  }
  return null;
}

/**
 * How far the current stage's evidence is: its items complete among those gathered, of all
 * its items. Counted against the stage as defined now, so an item an administrator removed or
 * tightened since no longer counts.
 */
export function gatheredStatus(
  stage: Pick<GateStage, 'evidence'>,
  gathered: readonly EvidenceGiven[],
): { given: number; required: number } {
  const given = stage.evidence.filter((item) => {
    const gatheredEvidence = gathered.find((e) => e.key === item.key);
    return gatheredEvidence !== undefined && unmet(item, gatheredEvidence) === null;
  }).length;
  return { given, required: stage.evidence.length };
}

/** Problem classification (docs/sales-process.md). */
export interface ProblemInput {
  now: number;
  enteredStageAt: number;
  expectedDays: number;
  stalledFactor?: number;
  nextStep: string | null;
  nextStepDate: string | null;
  today: string;
  qualificationWeakened: boolean;
  markedAdvantageLost: boolean;
}

export const OPPORTUNITY_PROBLEMS = ['stalled', 'no_plan', 'advantage_lost'] as const;
export type OpportunityProblem = (typeof OPPORTUNITY_PROBLEMS)[number];

export function classifyProblems(input: ProblemInput): OpportunityProblem[] {
  const out: OpportunityProblem[] = [];
  const factor = input.stalledFactor ?? 1.5;
  if (input.expectedDays > 0 && input.now - input.enteredStageAt > input.expectedDays * factor * 86_400_000)
    out.push('stalled');
  if (!input.nextStep?.trim() || !input.nextStepDate || input.nextStepDate < input.today) out.push('no_plan');
  if (input.qualificationWeakened || input.markedAdvantageLost) out.push('advantage_lost');
  return out;
}

/** Size class from the amount (docs/sales-process.md § The opportunity: default threshold 200,000 — in fen here). */
export const sizeClass = (amountFen: number, thresholdFen: number): 'small' | 'large' =>
  amountFen >= thresholdFen ? 'large' : 'small';
