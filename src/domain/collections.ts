/**
 * Expected collections of large projects in a period (SPEC §6.7, docs/targets.md § Expected
 * collections), next to the amount funnel:
 * - an open large deal expected to sign in the period brings its expected amount (amount ×
 *   stage probability) × the share of a contract usually collected in its first period — or,
 *   when it has a payment plan, its installments due in the period × the stage probability;
 * - a deal already won brings its installments due in the period; one won in the period
 *   without a plan, its amount × the first-period share (it left the open part when it won);
 * - the total is discounted by the realisation factor.
 * Money in fen, shares in whole percent; each part is rounded to whole fen.
 */
export interface CollectionStage {
  probability: number;
  /** Amount of the stage's open large deals (planned ones included). */
  largeAmount: number;
  /** Open large deals of the stage that have a payment plan. */
  planned: readonly { amount: number; dueInPeriod: number }[];
}

export interface CollectionInput {
  stages: readonly CollectionStage[];
  /** Installments of won large deals due in the period. */
  wonInstallments: number;
  /** Amount of the large deals won in the period that have no payment plan. */
  wonUnplanned: number;
  firstPeriodShare: number;
  realisationPercent: number;
}

export interface CollectionResult {
  stages: { unplanned: number; planned: number; collections: number }[];
  /** Σ of the stages: what the open large deals should bring. */
  open: number;
  installments: number;
  /** What the deals won in the period without a plan should bring. */
  wonUnplanned: number;
  /** (open + installments + wonUnplanned) × realisation. */
  total: number;
}

const part = (amount: number, ...percents: number[]) =>
  Math.round(percents.reduce((value, percent) => (value * percent) / 100, amount));

export function expectedCollections(input: CollectionInput): CollectionResult {
  const stages = input.stages.map((stage) => {
    const plannedAmount = stage.planned.reduce((sum, deal) => sum + deal.amount, 0);
    const unplanned = part(Math.max(0, stage.largeAmount - plannedAmount), stage.probability, input.firstPeriodShare);
    const planned = stage.planned.reduce((sum, deal) => sum + part(deal.dueInPeriod, stage.probability), 0);
    return { unplanned, planned, collections: unplanned + planned };
  });
  const open = stages.reduce((sum, stage) => sum + stage.collections, 0);
  const wonUnplanned = part(input.wonUnplanned, input.firstPeriodShare);
  return {
    stages,
    open,
    installments: input.wonInstallments,
    wonUnplanned,
    total: part(open + input.wonInstallments + wonUnplanned, input.realisationPercent),
  };
}
