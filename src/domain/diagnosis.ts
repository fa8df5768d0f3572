/**
 * The other analyses of docs/targets.md § Other analyses, pure: size bands, and the capability
 * diagnosis (行为管理) — which of three problems dominates a rep's numbers, and what to coach.
 */

/** Size bands in fen: <20k, 20–50k, 50–100k, 100–200k, ≥200k (yuan). `to` null for the last. */
export const SIZE_BANDS: readonly { key: string; from: number; to: number | null }[] = [
  { key: 'lt20k', from: 0, to: 20_000_00 },
  { key: '20k-50k', from: 20_000_00, to: 50_000_00 },
  { key: '50k-100k', from: 50_000_00, to: 100_000_00 },
  { key: '100k-200k', from: 100_000_00, to: 200_000_00 },
  { key: 'ge200k', from: 200_000_00, to: null },
];

export const DIAGNOSES = ['too_few_new_accounts', 'low_win_rate', 'low_deal_value'] as const;
export type Diagnosis = (typeof DIAGNOSES)[number];

/** The coaching topics of each problem (docs/targets.md § Other analyses); the web app words them. */
export const COACHING_TOPICS: Record<Diagnosis, readonly string[]> = {
  too_few_new_accounts: ['visiting_skill', 'diligence', 'time_management', 'territory_coverage'],
  low_win_rate: ['product_knowledge', 'needs_discovery', 'competition', 'closing', 'sales_process'],
  low_deal_value: ['value_presentation', 'price_objections'],
};

export interface RepNumbers {
  /** New accounts opened in the period. */
  newAccounts: number;
  won: number;
  lost: number;
  /** Σ amount of the deals won, fen. */
  wonAmount: number;
}

export interface DiagnosisResult {
  /** The problem furthest below the team, or null when none is below `threshold` of the team's figure. */
  problem: Diagnosis | null;
  /** Each figure against the team's (1 = as the team, null when the team has none to compare with). */
  ratios: Record<Diagnosis, number | null>;
  topics: readonly string[];
}

const winRate = (n: RepNumbers) => (n.won + n.lost > 0 ? n.won / (n.won + n.lost) : null);
const averageDeal = (n: RepNumbers) => (n.won > 0 ? n.wonAmount / n.won : null);
const ratio = (mine: number | null, team: number | null) =>
  team === null || team === 0 || mine === null ? null : mine / team;

/**
 * Compares a rep with the team's per-rep figures: new accounts, win rate and average deal. A
 * rep with no closed deal has no win rate or average deal to judge, so only new accounts speak.
 * The weakest figure below 80% of the team's is the problem to coach first.
 */
export function diagnose(rep: RepNumbers, team: RepNumbers & { reps: number }, threshold = 0.8): DiagnosisResult {
  const perRep = team.reps > 0 ? team.newAccounts / team.reps : null;
  const ratios: Record<Diagnosis, number | null> = {
    too_few_new_accounts: ratio(rep.newAccounts, perRep),
    low_win_rate: ratio(winRate(rep), winRate(team)),
    low_deal_value: ratio(averageDeal(rep), averageDeal(team)),
  };
  let problem: Diagnosis | null = null;
  for (const diagnosis of DIAGNOSES) {
    const ratio = ratios[diagnosis];
    if (ratio !== null && ratio < threshold && (problem === null || ratio < ratios[problem]!)) problem = diagnosis;
  }
  return { problem, ratios, topics: problem ? COACHING_TOPICS[problem] : [] };
}

/** The band of an amount. */
export const bandOf = (amount: number) =>
  SIZE_BANDS.find((b) => amount >= b.from && (b.to === null || amount < b.to))!.key;
