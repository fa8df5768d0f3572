/**
 * The revenue forecast and the P1–P4 gap analysis (docs/targets.md § Revenue forecast,
 * § Gap analysis). Pure: the planning calculators and the live reports call these.
 * Money in fen; weights and rates in integer percent; money results are rounded to whole fen.
 */

export const DEFAULT_FORECAST_WEIGHTS = { commitWeight: 70, possibleWeight: 25, unforecastRate: 4 } as const;

export interface ForecastInput {
  quota: number;
  realised: number;
  commit: number;
  possible: number;
  weeksLeft: number;
  commitWeight?: number | undefined;
  possibleWeight?: number | undefined;
  /** Share of the quota per remaining week expected from deals in neither category. */
  unforecastRate?: number | undefined;
}

export interface Forecast {
  /** realised + commitPart + possiblePart + unforecastPart. */
  forecast: number;
  /** forecast ÷ quota, a fraction (0.76); null for a zero quota. */
  completion: number | null;
  commitPart: number;
  possiblePart: number;
  unforecastPart: number;
}

/** Example: quota 500, realised 100, commit 200, possible 160, 5 weeks left → 380, 76%. */
export function revenueForecast(input: ForecastInput): Forecast {
  const forecastWeights = { ...DEFAULT_FORECAST_WEIGHTS, ...defined(input) };
  const commitPart = Math.round((input.commit * forecastWeights.commitWeight) / 100);
  const possiblePart = Math.round((input.possible * forecastWeights.possibleWeight) / 100);
  const unforecastPart = Math.round((input.quota * forecastWeights.unforecastRate * input.weeksLeft) / 100);
  const forecast = input.realised + commitPart + possiblePart + unforecastPart;
  return {
    forecast,
    completion: input.quota > 0 ? forecast / input.quota : null,
    commitPart,
    possiblePart,
    unforecastPart,
  };
}

export const DEFAULT_GAP_FACTORS = { p1: 70, p2: 25, p3: 20 } as const;

export interface GapInput {
  quota: number;
  /** FI: already finished (won or collected) in the period. */
  finished: number;
  /** CO: the committed deals. */
  commit: number;
  /** N-CO: identified deals not committed. */
  nonCommit: number;
  /** P4: the average deal. */
  averageDeal: number;
  weeksLeft?: number | undefined;
  p1?: number | undefined;
  p2?: number | undefined;
  p3?: number | undefined;
}

export interface Gap {
  /** quota − FI. */
  gap0: number;
  /** gap0 − CO × P1: what remains if the committed deals close. */
  gap1: number;
  /** gap1 − N-CO × P2: what remains after the possible ones. */
  gap2: number;
  /** gap2 ÷ P3: the pipeline of unidentified deals needed; 0 once the gap is covered. */
  gap3: number;
  /** gap3 ÷ P4: the new customers needed. */
  newAccounts: number;
  /** newAccounts ÷ weeks left; null without weeks left. */
  newAccountsPerWeek: number | null;
}

/**
 * Example: quota 100, FI 20, CO 50, N-CO 40, P4 5 → gap0 80, gap1 45, gap2 35, gap3 175, NA 35.
 * gap0–gap2 keep their sign (a negative one says by how much the quota is covered); the
 * pipeline and the new customers needed are never negative.
 */
export function gapAnalysis(input: GapInput): Gap {
  const gapFactors = { ...DEFAULT_GAP_FACTORS, ...defined(input) };
  const gap0 = input.quota - input.finished;
  const gap1 = gap0 - Math.round((input.commit * gapFactors.p1) / 100);
  const gap2 = gap1 - Math.round((input.nonCommit * gapFactors.p2) / 100);
  const gap3 = gap2 > 0 ? Math.round((gap2 * 100) / gapFactors.p3) : 0;
  const newAccounts = gap3 / input.averageDeal;
  const weeksLeft = input.weeksLeft;
  return {
    gap0,
    gap1,
    gap2,
    gap3,
    newAccounts,
    newAccountsPerWeek: weeksLeft && weeksLeft > 0 ? newAccounts / weeksLeft : null,
  };
}

/** The optional fields given, so `{ ...defaults, ...defined(input) }` keeps a default for an undefined one. */
function defined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
