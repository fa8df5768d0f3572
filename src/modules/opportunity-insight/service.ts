import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import {
  QUALIFICATION_FACTS,
  qualificationScore,
  weakenedFacts,
  type BuyingPhase,
  type Qualification,
  type QualificationAnswer,
  type QualificationFact,
} from '../../domain/buying-phase.ts';
import type { RootCause } from '../../domain/opportunity.ts';
import type { Actor } from '../../domain/policy.ts';
import {
  decideStrategy,
  STRATEGIES,
  type Strategy,
  type StrategyAnswers,
  type StrategyStep,
} from '../../domain/win-strategy.ts';
import { AppError, forbidden, invalid, notFound } from '../../server/problem.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import { getOpportunity } from '../opportunities/service.ts';
import * as repo from './repository.ts';
import { userNames } from '../users/shared.ts';
import type * as contract from '../../contracts/opportunity-insight.ts';
import type { Competitor, CompetitorStatus, Swot } from '../../contracts/opportunity-insight.ts';
import { COMPETITOR_STATUSES } from '../../domain/opportunity.ts';

/*
 * What the JSON columns of `opportunities` hold (migration 0006):
 *   qualification  {facts: {pain: {answer, note}, …}, weakened: [fact…], assessedAt, assessedBy}
 *                  (an older flat {pain: {…}} is read too)
 *   swot           {strengths: [], weaknesses: [], opportunities: [], threats: []}
 *   competitors    [{name, strengths, weaknesses, status}]
 *   win_strategy   {strategy, path: [{question, answer}], answers, decidedAt, decidedBy} | null
 */

export { COMPETITOR_STATUSES } from '../../domain/opportunity.ts';
export type { CompetitorStatus, Competitor, Swot } from '../../contracts/opportunity-insight.ts';
export type FactInput = { answer: QualificationAnswer; note?: string | null | undefined } | null | undefined;
export type FactsInput = Partial<Record<QualificationFact, FactInput>>;

interface StoredQualification {
  facts: Qualification;
  weakened: QualificationFact[];
  assessedAt: number | null;
  assessedBy: number | null;
}
interface StoredStrategy {
  strategy: Strategy;
  path: StrategyStep[];
  answers: StrategyAnswers;
  decidedAt: number;
  decidedBy: number;
}

const ANSWERS = new Set<string>(['yes', 'partly', 'no']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function parseJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Only well-formed facts survive: a damaged column never breaks the page. */
function cleanFacts(raw: unknown): Qualification {
  const out: Qualification = {};
  if (!isObject(raw)) return out;
  for (const qualificationFact of QUALIFICATION_FACTS) {
    const storedFact = raw[qualificationFact];
    if (isObject(storedFact) && typeof storedFact.answer === 'string' && ANSWERS.has(storedFact.answer)) {
      out[qualificationFact] = {
        answer: storedFact.answer as QualificationAnswer,
        note: typeof storedFact.note === 'string' ? storedFact.note : null,
      };
    }
  }
  return out;
}

export function parseQualification(text: string | null): StoredQualification {
  const raw = parseJson(text);
  if (!isObject(raw)) return { facts: {}, weakened: [], assessedAt: null, assessedBy: null };
  if (!isObject(raw.facts)) return { facts: cleanFacts(raw), weakened: [], assessedAt: null, assessedBy: null };
  const weakened = Array.isArray(raw.weakened)
    ? raw.weakened.filter((f): f is QualificationFact => QUALIFICATION_FACTS.includes(f as QualificationFact))
    : [];
  return {
    facts: cleanFacts(raw.facts),
    weakened,
    assessedAt: typeof raw.assessedAt === 'number' ? raw.assessedAt : null,
    assessedBy: typeof raw.assessedBy === 'number' ? raw.assessedBy : null,
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

export function parseSwot(text: string | null): Swot {
  const raw = parseJson(text);
  const swot = isObject(raw) ? raw : {};
  return {
    strengths: strings(swot.strengths),
    weaknesses: strings(swot.weaknesses),
    opportunities: strings(swot.opportunities),
    threats: strings(swot.threats),
  };
}

export function parseCompetitors(text: string | null): Competitor[] {
  const raw = parseJson(text);
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(isObject)
    .filter((c) => typeof c.name === 'string')
    .map((competitor) => ({
      name: competitor.name as string,
      strengths: typeof competitor.strengths === 'string' ? competitor.strengths : '',
      weaknesses: typeof competitor.weaknesses === 'string' ? competitor.weaknesses : '',
      status: COMPETITOR_STATUSES.includes(competitor.status as CompetitorStatus)
        ? (competitor.status as CompetitorStatus)
        : 'close',
    }));
}

export function parseStrategy(text: string | null): StoredStrategy | null {
  const raw = parseJson(text);
  if (!isObject(raw) || !STRATEGIES.includes(raw.strategy as Strategy)) return null;
  return {
    strategy: raw.strategy as Strategy,
    path: Array.isArray(raw.path) ? (raw.path.filter(isObject) as unknown as StrategyStep[]) : [],
    answers: isObject(raw.answers) ? (raw.answers as StrategyAnswers) : {},
    decidedAt: typeof raw.decidedAt === 'number' ? raw.decidedAt : 0,
    decidedBy: typeof raw.decidedBy === 'number' ? raw.decidedBy : 0,
  };
}

/** The detail of the opportunity (404 when out of reach) and its insight columns. */
async function load(db: Db, actor: Actor, id: number) {
  const detail = await getOpportunity(db, actor, id);
  const row = await repo.insightRow(db.kysely, actor.workspaceId, id);
  if (!row) throw notFound('Opportunity');
  return { detail, row };
}

/** The whole team contributes the analysis (owner, members, a manager above it, admin); closed ones are history. */
async function loadForEdit(db: Db, actor: Actor, id: number) {
  const loaded = await load(db, actor, id);
  if (!loaded.detail.permissions.contribute) throw forbidden('You cannot edit this opportunity');
  if (loaded.detail.status !== 'open') throw new AppError('closed', 'A closed opportunity cannot be edited');
  return loaded;
}

export async function getInsight(db: Db, actor: Actor, id: number): Promise<contract.Insight> {
  const { detail, row } = await load(db, actor, id);
  const qualification = parseQualification(row.qualification);
  const strategy = parseStrategy(row.win_strategy);
  const names = await userNames(
    db.kysely,
    actor.workspaceId,
    [qualification.assessedBy, strategy?.decidedBy].filter((x): x is number => typeof x === 'number' && x > 0),
  );
  return {
    ...detail,
    qualification: Object.fromEntries(
      QUALIFICATION_FACTS.map((qualificationFact) => [
        qualificationFact,
        qualification.facts[qualificationFact]
          ? {
              answer: qualification.facts[qualificationFact].answer,
              note: qualification.facts[qualificationFact].note ?? null,
            }
          : null,
      ]),
    ) as Record<QualificationFact, { answer: QualificationAnswer; note: string | null } | null>,
    qualificationScore: qualificationScore(qualification.facts),
    weakened: qualification.weakened,
    qualificationAssessedAt: qualification.assessedAt,
    qualificationAssessedByName:
      qualification.assessedBy === null ? null : (names.get(qualification.assessedBy) ?? null),
    swot: parseSwot(row.swot),
    competitors: parseCompetitors(row.competitors),
    strategy: strategy ? { ...strategy, decidedByName: names.get(strategy.decidedBy) ?? null } : null,
    advantageLost: row.advantage_lost === 1,
    buyingPhase: detail.buyingPhase,
    stageBuyingPhase: row.stage_buying_phase as BuyingPhase | null,
    stageAheadOfBuyer: detail.stageAheadOfBuyer,
    version: row.version,
  };
}

/**
 * Qualification (docs/sales-process.md § Qualification): the six facts are assessed as a whole. A fact weaker than in the
 * previous assessment is the "advantage lost" signal of docs/sales-process.md: the opportunity is marked
 * (a manager clears it through PATCH /opportunities/:id {advantageLost: false}) and the
 * change of score goes to the record history with the weakened facts as its reason.
 */
export async function saveQualification(
  db: Db,
  actor: Actor,
  id: number,
  input: contract.QualificationRequest,
): Promise<contract.Insight> {
  const { row } = await loadForEdit(db, actor, id);
  const before = parseQualification(row.qualification);
  const after: Qualification = {};
  for (const qualificationFact of QUALIFICATION_FACTS) {
    const fact = input.facts[qualificationFact];
    if (fact) after[qualificationFact] = { answer: fact.answer, note: fact.note?.trim() ? fact.note.trim() : null };
  }
  const weakened = weakenedFacts(before.facts, after);
  const [oldScore, newScore] = [qualificationScore(before.facts), qualificationScore(after)];
  const { now } = actor;
  const stored: StoredQualification = { facts: after, weakened, assessedAt: now, assessedBy: actor.userId };
  const changes: Change[] =
    oldScore !== newScore || weakened.length
      ? [
          {
            workspaceId: actor.workspaceId,
            entityType: 'opportunity',
            entityId: id,
            field: 'qualification',
            oldValue: oldScore,
            newValue: newScore,
            reason: weakened.length ? `weakened: ${weakened.join(', ')}` : null,
            actorUserId: actor.userId,
          },
        ]
      : [];
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'opportunities',
      'Opportunity',
      { workspaceId: actor.workspaceId, id, version: input.version },
      {
        qualification: JSON.stringify(stored),
        ...(weakened.length ? { advantage_lost: 1 } : {}),
        updated_at: now,
      },
    );
    await recordChanges(trx, changes, now);
  });
  return getInsight(db, actor, id);
}

/** SWOT and the competitors (docs/sales-process.md § The opportunity); a competitor is listed once. */
export async function saveAnalysis(
  db: Db,
  actor: Actor,
  id: number,
  input: contract.AnalysisRequest,
): Promise<contract.Insight> {
  await loadForEdit(db, actor, id);
  const seen = new Map<string, number>();
  input.competitors.forEach((competitor, index) => {
    const key = competitor.name.trim().toLowerCase();
    if (seen.has(key))
      throw invalid(
        `competitors.${index}.name`,
        { code: 'duplicate', params: { index: seen.get(key)! } },
        `${competitor.name} is already listed (competitors.${seen.get(key)})`,
        'duplicate',
      );
    seen.set(key, index);
  });
  const clean = (xs: string[]) => xs.map((s) => s.trim()).filter(Boolean);
  const swot: Swot = {
    strengths: clean(input.swot.strengths),
    weaknesses: clean(input.swot.weaknesses),
    opportunities: clean(input.swot.opportunities),
    threats: clean(input.swot.threats),
  };
  const competitors = input.competitors.map((competitor) => ({
    name: competitor.name.trim(),
    strengths: competitor.strengths.trim(),
    weaknesses: competitor.weaknesses.trim(),
    status: competitor.status,
  }));
  await updateVersioned(
    db.kysely,
    'opportunities',
    'Opportunity',
    { workspaceId: actor.workspaceId, id, version: input.version },
    {
      swot: JSON.stringify(swot),
      competitors: JSON.stringify(competitors),
      updated_at: actor.now,
    },
  );
  return getInsight(db, actor, id);
}

/** One step of the win-strategy wizard (docs/sales-process.md § Win strategy): the next question, or the strategy. Saves nothing. */
export async function nextStrategyStep(
  db: Db,
  actor: Actor,
  id: number,
  answers: StrategyAnswers,
): Promise<contract.StrategyStepResult> {
  await load(db, actor, id);
  const decision = decideStrategy(answers);
  return decision.done
    ? { done: true, strategy: decision.strategy, path: decision.path }
    : { done: false, next: decision.next, path: decision.path };
}

/** Stores the strategy the answers lead to, with the path; refuses answers that stop short of one. */
export async function saveStrategy(
  db: Db,
  actor: Actor,
  id: number,
  input: contract.StrategyRequest,
): Promise<contract.Insight> {
  const { row } = await loadForEdit(db, actor, id);
  const decision = decideStrategy(input.answers);
  if (!decision.done)
    throw invalid(
      `answers.${decision.next}`,
      { code: 'strategy_incomplete' },
      'answer this question to reach a strategy',
      'strategy_incomplete',
    );
  const { now } = actor;
  // Only the answers on the path count; an answer to a question never asked is dropped.
  const answers = Object.fromEntries(decision.path.map((s) => [s.question, s.answer])) as StrategyAnswers;
  const stored: StoredStrategy = {
    strategy: decision.strategy,
    path: decision.path,
    answers,
    decidedAt: now,
    decidedBy: actor.userId,
  };
  const previous = parseStrategy(row.win_strategy);
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'opportunities',
      'Opportunity',
      { workspaceId: actor.workspaceId, id, version: input.version },
      {
        win_strategy: JSON.stringify(stored),
        updated_at: now,
      },
    );
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'opportunity',
          entityId: id,
          field: 'strategy',
          oldValue: previous?.strategy ?? null,
          newValue: decision.strategy,
          reason: decision.path.map((s) => `${s.question}=${s.answer ? 'yes' : 'no'}`).join(' → '),
          actorUserId: actor.userId,
        },
      ],
      now,
    );
  });
  return getInsight(db, actor, id);
}

const reviewDto = (review: repo.ReviewRow) => ({
  id: review.id,
  reviewerId: review.reviewer_id,
  reviewerName: review.reviewer_name,
  completedStep: review.completed_step ?? '',
  evidence: review.evidence,
  nextAction: review.next_action ?? '',
  jointPlan: review.joint_plan,
  rootCause: (review.root_cause ?? null) as RootCause | null,
  nextActionDate: review.next_action_date,
  createdAt: review.created_at,
});

/** Pipeline review entries (盘问, docs/sales-process.md), newest first. */
export async function listReviews(db: Db, actor: Actor, id: number): Promise<{ items: contract.Review[] }> {
  await getOpportunity(db, actor, id);
  return { items: (await repo.listReviews(db.kysely, actor.workspaceId, id)).map(reviewDto) };
}

export type ReviewInput = contract.AddReviewRequest;

/** The four questions answered: by those who lead the deal — its owner, a manager over it, an admin. */
export async function addReview(db: Db, actor: Actor, id: number, input: ReviewInput): Promise<contract.Review> {
  const detail = await getOpportunity(db, actor, id);
  if (!detail.permissions.edit)
    throw forbidden('Only the owner or a manager over the opportunity records a pipeline review');
  const { now } = actor;
  const reviewId = await db.kysely.transaction().execute(async (trx) => {
    const newId = await repo.insertReview(trx, {
      workspaceId: actor.workspaceId,
      opportunityId: id,
      reviewerId: actor.userId,
      completedStep: input.completedStep,
      evidence: input.evidence ?? null,
      nextAction: input.nextAction,
      jointPlan: input.jointPlan ?? null,
      rootCause: input.rootCause ?? null,
      nextActionDate: input.nextActionDate ?? null,
      now,
    });
    // "What will you do next? Let us plan it together": a dated next action is the deal's next step (no longer "no plan").
    if (input.nextActionDate) {
      await repo.planNextStep(trx, actor.workspaceId, id, {
        nextStep: input.nextAction.slice(0, 500),
        date: input.nextActionDate,
        now,
      });
    }
    return newId;
  });
  return reviewDto(await repo.getReview(db.kysely, actor.workspaceId, reviewId));
}
