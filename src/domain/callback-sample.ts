/**
 * The random callback audit (docs/rhythm.md § Callback audit): a reproducible sample of each
 * rep's logged visits in a period becomes callback tasks for the auditor.
 *
 * Reproducible means: the same visits, the same period key and the same rate always give the
 * same sample, on any machine, whatever order the visits are read in — so an audit can be
 * re-drawn and checked, and a rep cannot predict which visits will be called from anything
 * they see. Each visit gets a score from a keyed hash (FNV-1a over the seed and its id, then
 * a 32-bit avalanche); the k lowest scores are drawn, k = ceil(rate × visits).
 */

export interface SampleInput {
  /** Ids of one rep's logged visits in the period. */
  visitIds: readonly number[];
  /** Identifies the draw, e.g. `${workspaceId}:${period}:${repId}`. */
  seed: string;
  /** Share to draw, integer percent (default 10). */
  ratePercent?: number | undefined;
}

export function sampleSize(visits: number, ratePercent: number): number {
  if (visits <= 0 || ratePercent <= 0) return 0;
  return Math.min(visits, Math.ceil((visits * ratePercent) / 100));
}

export function drawCallbackSample(input: SampleInput): number[] {
  const rate = input.ratePercent ?? 10;
  const ids = [...new Set(input.visitIds)];
  const sampleCount = sampleSize(ids.length, rate);
  return ids
    .map((id) => ({ id, score: score(input.seed, id) }))
    .sort((a, b) => a.score - b.score || a.id - b.id)
    .slice(0, sampleCount)
    .map((x) => x.id)
    .sort((a, b) => a - b);
}

function score(seed: string, id: number): number {
  let hash = 0x811c9dc5;
  for (const ch of `${seed}#${id}`) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  // murmur3's finaliser: neighbouring ids land far apart
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Confirmed ÷ answered callbacks, a fraction; null before any callback was answered. */
export function confirmationRate(
  outcomes: readonly ('confirmed' | 'not_confirmed' | 'feedback' | null)[],
): number | null {
  const answered = outcomes.filter((o) => o === 'confirmed' || o === 'not_confirmed');
  if (answered.length === 0) return null;
  return answered.filter((o) => o === 'confirmed').length / answered.length;
}
