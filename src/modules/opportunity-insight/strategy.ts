import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import type { Actor } from '../../domain/policy.ts';
import { decideStrategy, type StrategyAnswers } from '../../domain/win-strategy.ts';
import { invalid } from '../../server/problem.ts';
import { recordChanges } from '../history/repository.ts';
import type * as contract from '../../contracts/opportunity-insight.ts';
import { getInsight, load, loadForEdit } from './read.ts';
import { parseStrategy, type StoredStrategy } from './stored.ts';

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
