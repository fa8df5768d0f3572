import type { QualificationAnswer, QualificationFact } from '../../domain/buying-phase.ts';

/**
 * The opportunity's insight (docs/sales-process.md): qualification, SWOT and competitors, the win
 * strategy, pipeline reviews. The area's use cases, gathered here for its routes: what the JSON
 * columns hold and how they are read: stored.ts; the insight read: read.ts; the qualification
 * assessed: qualification.ts; SWOT and competitors: analysis.ts; the win-strategy wizard:
 * strategy.ts; pipeline reviews: reviews.ts.
 */
export { getInsight } from './read.ts';
export { saveQualification } from './qualification.ts';
export { saveAnalysis } from './analysis.ts';
export { nextStrategyStep, saveStrategy } from './strategy.ts';
export { addReview, listReviews, type ReviewInput } from './reviews.ts';
export { parseCompetitors, parseQualification, parseStrategy, parseSwot } from './stored.ts';

export { COMPETITOR_STATUSES } from '../../domain/opportunity.ts';
export type { CompetitorStatus, Competitor, Swot } from '../../contracts/opportunity-insight.ts';
export type FactInput = { answer: QualificationAnswer; note?: string | null | undefined } | null | undefined;
export type FactsInput = Partial<Record<QualificationFact, FactInput>>;
