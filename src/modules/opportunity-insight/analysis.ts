import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import type { Actor } from '../../domain/policy.ts';
import { invalid } from '../../server/problem.ts';
import type * as contract from '../../contracts/opportunity-insight.ts';
import type { Swot } from '../../contracts/opportunity-insight.ts';
import { getInsight, loadForEdit } from './read.ts';

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
