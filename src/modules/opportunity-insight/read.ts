import type { Db } from '../../db/database.ts';
import {
  QUALIFICATION_FACTS,
  qualificationScore,
  type BuyingPhase,
  type QualificationAnswer,
  type QualificationFact,
} from '../../domain/buying-phase.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../server/problem.ts';
import { getOpportunity } from '../opportunities/service.ts';
import * as repo from './repository.ts';
import { userNames } from '../users/shared.ts';
import type * as contract from '../../contracts/opportunity-insight.ts';
import { parseCompetitors, parseQualification, parseStrategy, parseSwot } from './stored.ts';

/** The detail of the opportunity (404 when out of reach) and its insight columns. */
export async function load(db: Db, actor: Actor, id: number) {
  const detail = await getOpportunity(db, actor, id);
  const row = await repo.insightRow(db.kysely, actor.workspaceId, id);
  if (!row) throw notFound('Opportunity');
  return { detail, row };
}

/** The whole team contributes the analysis (owner, members, a manager above it, admin); closed ones are history. */
export async function loadForEdit(db: Db, actor: Actor, id: number) {
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
