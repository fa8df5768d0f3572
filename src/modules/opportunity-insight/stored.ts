import {
  QUALIFICATION_FACTS,
  type Qualification,
  type QualificationAnswer,
  type QualificationFact,
} from '../../domain/buying-phase.ts';
import { STRATEGIES, type Strategy, type StrategyAnswers, type StrategyStep } from '../../domain/win-strategy.ts';
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

export interface StoredQualification {
  facts: Qualification;
  weakened: QualificationFact[];
  assessedAt: number | null;
  assessedBy: number | null;
}
export interface StoredStrategy {
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
