/**
 * The funnel's arithmetic (docs/targets.md § Standard funnel, § Flow projection): the standard
 * funnel a quota needs, the week-by-week flow of the current funnel into wins, and the
 * opportunity gap. Pure functions over plain numbers: the planning calculators and the live
 * reports call the same ones.
 *
 * Units: money in fen (integers in, fractional fen may come out of averages and are rounded
 * only where a result is money), probabilities in integer percent (0–100), durations in
 * weeks (fractions allowed), counts as plain numbers (expected counts are fractional).
 */

/** Below this, a float that should be an integer is one (0.3 × 100 / 30 must ceil to 1). */
const EPSILON = 1e-9;
const ceil = (x: number) => Math.ceil(x - EPSILON);

export interface PlanStage {
  name: string;
  /** Win probability of the stage, integer percent. */
  probability: number;
  /** Expected time in the stage, weeks; default 1. */
  weeks?: number | undefined;
}

export interface StandardFunnelInput {
  quota: number;
  averageDeal: number;
  /** Weeks in the period the quota is for. */
  weeks: number;
  /** The open stages, first to last (not the won stage). */
  stages: readonly PlanStage[];
  /** New first-stage deals one rep can open per week: gives the headcount the funnel needs. */
  newPerRepPerWeek?: number | undefined;
}

export interface StandardFunnel {
  /** D = ceil(quota ÷ average deal). */
  dealsNeeded: number;
  /** w = D ÷ weeks. */
  winsPerWeek: number;
  /** E = ceil(w ÷ p₁): new deals that must enter the first stage every week. */
  newPerWeek: number;
  /** ceil(E ÷ new deals per rep per week); null when that rate is not given. */
  repsNeeded: number | null;
  /** Sᵢ = ceil(w × weeksᵢ ÷ pᵢ); null for a stage of probability 0, which no count makes yield. */
  stages: { name: string; standard: number | null }[];
}

/**
 * The entry stage is the first stage that can yield a win: a 0% stage (the seven-step
 * process's "target") holds deals not yet in the funnel's arithmetic.
 */
export function entryStageIndex(stages: readonly PlanStage[]): number {
  return stages.findIndex((s) => s.probability > 0);
}

export function standardFunnel(input: StandardFunnelInput): StandardFunnel {
  const dealsNeeded = ceil(input.quota / input.averageDeal);
  const winsPerWeek = dealsNeeded / input.weeks;
  const entry = entryStageIndex(input.stages);
  const newPerWeek = entry < 0 ? 0 : ceil((winsPerWeek * 100) / input.stages[entry]!.probability);
  const repsNeeded = input.newPerRepPerWeek ? ceil(newPerWeek / input.newPerRepPerWeek) : null;
  return {
    dealsNeeded,
    winsPerWeek,
    newPerWeek,
    repsNeeded,
    stages: input.stages.map((stage) => ({
      name: stage.name,
      standard: stage.probability > 0 ? ceil((winsPerWeek * (stage.weeks ?? 1) * 100) / stage.probability) : null,
    })),
  };
}

export interface FunnelStage extends PlanStage {
  /** Open deals in the stage now. */
  count: number;
}

export interface FlowInput {
  stages: readonly FunnelStage[];
  /** newPerWeek[k] deals join the entry stage in week k + 1. */
  newPerWeek?: readonly number[] | undefined;
}

/**
 * Week-by-week wins the funnel produces (docs/targets.md § Flow projection). Each week the deals leaving
 * stage i move on to stage i+1 in the proportion pᵢ ÷ pᵢ₊₁, and those leaving the last stage
 * close as won in the proportion p_last — so a deal at stage i wins with probability pᵢ in
 * the end, as the stage says. A stage of d weeks: the deals in it now leave in equal parts
 * over the next d weeks (they entered at different times), a deal arriving leaves d weeks
 * later. With one-week stages this is exactly the worked example: Intent 100, Proposal 40,
 * Negotiation 30 at 20/40/80% win 24, 16 and 20 in weeks 1–3.
 * 0% stages before the entry stage are outside the flow; the result runs until the last
 * planned entries have closed.
 */
export function flowProjection(input: FlowInput): { week: number; wins: number }[] {
  const entry = entryStageIndex(input.stages);
  if (entry < 0) return [];
  const stages = input.stages.slice(entry);
  const durations = stages.map((s) => Math.max(1, Math.round(s.weeks ?? 1)));
  const newPerWeek = input.newPerWeek ?? [];
  const horizon = newPerWeek.length + durations.reduce((a, b) => a + b, 0);
  // departures[i][t]: deals leaving stage i at the end of week t + 1.
  const departures = stages.map(() => new Array<number>(horizon + 1).fill(0));
  stages.forEach((stage, index) => {
    for (let week = 0; week < durations[index]!; week++) departures[index]![week]! += stage.count / durations[index]!;
  });
  const wins = new Array<number>(horizon).fill(0);
  for (let week = 0; week < horizon; week++) {
    const arriving = newPerWeek[week] ?? 0;
    if (arriving && week + durations[0]! - 1 <= horizon) departures[0]![week + durations[0]! - 1]! += arriving;
    for (let i = 0; i < stages.length; i++) {
      const leaving = departures[i]![week]!;
      if (!leaving) continue;
      const probability = stages[i]!.probability / 100;
      if (i === stages.length - 1) {
        wins[week]! += leaving * probability;
      } else {
        const next = stages[i + 1]!.probability / 100;
        // A later stage of lower probability would make more deals than entered: cap at all of them.
        const moving = leaving * Math.min(1, next > 0 ? probability / next : 0);
        const at = week + durations[i + 1]!;
        if (at <= horizon) departures[i + 1]![at]! += moving;
      }
    }
  }
  return wins.map((w, t) => ({ week: t + 1, wins: w }));
}

/** Σ count × probability: the deals the funnel should win (docs/targets.md § Funnel: expected deals). */
export function expectedDeals(stages: readonly FunnelStage[]): number {
  return stages.reduce((sum, s) => sum + (s.count * s.probability) / 100, 0);
}

export interface FunnelGapInput extends FlowInput {
  quota: number;
  realised: number;
  averageDeal: number;
}

export interface FunnelGap {
  expectedDeals: number;
  /** expectedDeals × averageDeal (count-based, as for small projects), fen. */
  expectedAmount: number;
  /** quota − realised − expectedAmount, fen; negative when the funnel covers the quota. */
  gapAmount: number;
  /** gapAmount ÷ averageDeal. */
  gapDeals: number;
  /** gapDeals ÷ the entry stage's probability (not rounded; pages may round up to show). */
  firstStageNeeded: number;
  weeks: { week: number; wins: number }[];
}

export function funnelGap(input: FunnelGapInput): FunnelGap {
  const deals = expectedDeals(input.stages);
  const expectedAmount = Math.round(deals * input.averageDeal);
  const gapAmount = input.quota - input.realised - expectedAmount;
  const gapDeals = gapAmount / input.averageDeal;
  const entry = entryStageIndex(input.stages);
  const firstStageNeeded = entry < 0 ? 0 : (gapDeals * 100) / input.stages[entry]!.probability;
  return { expectedDeals: deals, expectedAmount, gapAmount, gapDeals, firstStageNeeded, weeks: flowProjection(input) };
}

/**
 * New entry-stage deals needed per remaining entry week to close a gap of `gapDeals` wins
 * (docs/targets.md § Opportunity gap): a deal entering in week k closes only after the whole
 * cycle, so only the weeks that leave time for it count. 0 when there is no gap; null when no
 * week is left in which an entry could still close in the period.
 */
export function entriesPerWeekNeeded(gapDeals: number, stages: readonly PlanStage[], weeksLeft: number): number | null {
  if (gapDeals <= 0) return 0;
  const entry = entryStageIndex(stages);
  if (entry < 0) return null;
  const cycle = stages.slice(entry).reduce((sum, s) => sum + Math.max(1, Math.round(s.weeks ?? 1)), 0);
  const entryWeeks = weeksLeft - cycle + 1;
  if (entryWeeks <= 0) return null;
  return (gapDeals * 100) / stages[entry]!.probability / entryWeeks;
}
