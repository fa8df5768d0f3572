/** The customer's buying decision cycle (docs/sales-process.md § Buying phase, 客户决策循环), in order. */
export const BUYING_PHASES = ['satisfied', 'aware', 'decide', 'criteria', 'evaluate', 'select', 'reevaluate'] as const;
export type BuyingPhase = (typeof BUYING_PHASES)[number];

export const phaseIndex = (p: BuyingPhase): number => BUYING_PHASES.indexOf(p);

/**
 * The board warns when the sales stage runs ahead of the buying phase: the stage is meant
 * for a phase the customer has not reached yet. Unknown phases raise no warning.
 */
export function stageAheadOfBuyer(stagePhase: BuyingPhase | null, customerPhase: BuyingPhase | null): boolean {
  if (!stagePhase || !customerPhase) return false;
  return phaseIndex(stagePhase) > phaseIndex(customerPhase);
}

/** Qualification (docs/sales-process.md § Qualification): six facts, each yes / partly / no. */
export const QUALIFICATION_FACTS = ['pain', 'power', 'vision', 'value', 'control', 'criteria'] as const;
export type QualificationFact = (typeof QUALIFICATION_FACTS)[number];
export const QUALIFICATION_ANSWERS = ['yes', 'partly', 'no'] as const;
export type QualificationAnswer = (typeof QUALIFICATION_ANSWERS)[number];
export type Qualification = Partial<Record<QualificationFact, { answer: QualificationAnswer; note?: string | null }>>;

const POINTS: Record<QualificationAnswer, number> = { yes: 2, partly: 1, no: 0 };

/** 0–100: yes counts fully, partly half, no and unanswered nothing. */
export function qualificationScore(qualification: Qualification): number {
  const total = QUALIFICATION_FACTS.reduce((s, f) => s + (qualification[f] ? POINTS[qualification[f].answer] : 0), 0);
  return Math.round((100 * total) / (2 * QUALIFICATION_FACTS.length));
}

/** Facts that got worse between two assessments: the "advantage lost" signal of docs/sales-process.md. */
export function weakenedFacts(before: Qualification, after: Qualification): QualificationFact[] {
  return QUALIFICATION_FACTS.filter((qualificationFact) => {
    const previous = before[qualificationFact];
    const current = after[qualificationFact];
    return previous !== undefined && POINTS[previous.answer] > (current ? POINTS[current.answer] : 0);
  });
}
