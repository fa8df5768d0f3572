import { bigramDice, bigrams, SIMILAR_NAME_THRESHOLD, type Bigrams } from './company-name.ts';

/**
 * Finds names similar to a company name key among many (docs/archive.md: "similar names warn on
 * create and on import"), fast enough for a 100,000-row import against a large archive.
 *
 * Keys are indexed by their character pairs. A lookup enters through the key's rarest pairs
 * only — common pairs (科技, 电子) would pull in thousands of names — and scores those
 * candidates with `nameSimilarity`. A name at the threshold shares at least `minShared` of the
 * key's k pairs, so it must hold one of any k − minShared + 1 of them: entering through that
 * many of the rarest finds every such name.
 */
export interface NamedKey<Ref> {
  ref: Ref;
  name: string;
  key: string;
}

export interface SimilarMatch<Ref> extends NamedKey<Ref> {
  similarity: number;
}

const MAX_CANDIDATES = 200;

export class SimilarNameIndex<Ref> {
  private readonly entries: NamedKey<Ref>[] = [];
  /** A name's pairs with their counts, made when it is first scored: most names never are. */
  private readonly grams: (Bigrams | undefined)[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly threshold: number;

  constructor(entries: Iterable<NamedKey<Ref>> = [], threshold = SIMILAR_NAME_THRESHOLD) {
    this.threshold = threshold;
    for (const entry of entries) this.add(entry);
  }

  get size(): number {
    return this.entries.length;
  }

  add(entry: NamedKey<Ref>): void {
    const index = this.entries.push(entry) - 1;
    this.grams.push(undefined);
    // Each pair of the key once (its postings end with this index if the pair came before); no
    // map of counts per name: building one for each of the archive's names was most of the build.
    const key = entry.key;
    for (let at = 0; at < key.length - 1; at++) {
      const gram = key.slice(at, at + 2);
      const list = this.postings.get(gram);
      if (!list) this.postings.set(gram, [index]);
      else if (list[list.length - 1] !== index) list.push(index);
    }
  }

  /** The most similar name at or above the threshold, other than an identical key (that is a duplicate, not a look-alike). */
  mostSimilar(key: string): SimilarMatch<Ref> | null {
    const mine = bigrams(key);
    const own = [...mine.counts.keys()];
    if (own.length === 0) return null;
    // Dice ≥ t with the other name's k' pairs means shared ≥ t(k + k')/2 and shared ≤ k', so shared ≥ t·k/(2 − t).
    const minShared = Math.max(1, Math.ceil((this.threshold * own.length) / (2 - this.threshold) - 1e-9));
    const rarest = own
      .map((p) => ({ p, n: this.postings.get(p)?.length ?? 0 }))
      .sort((a, b) => a.n - b.n)
      .slice(0, Math.max(1, own.length - minShared + 1))
      .filter((x) => x.n > 0);
    let best: SimilarMatch<Ref> | null = null;
    const seen = new Set<number>();
    for (const { p: gram } of rarest) {
      for (const index of this.postings.get(gram)!) {
        if (seen.has(index)) continue;
        // A bound on the work per name when an archive is full of near-identical names
        // ("…客户1号…", "…客户2号…"): the rarest pairs come first, so the best candidates do too.
        if (seen.size >= MAX_CANDIDATES) return best;
        seen.add(index);
        const entry = this.entries[index]!;
        if (entry.key === key) continue;
        const similarity = bigramDice(mine, (this.grams[index] ??= bigrams(entry.key)));
        if (similarity >= this.threshold && (!best || similarity > best.similarity)) best = { ...entry, similarity };
      }
    }
    return best;
  }
}
