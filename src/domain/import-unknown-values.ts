import { headerKey } from './import-headers.ts';
import { isMappableField, suggestCode, type MappableField, type WorkspaceWordField } from './import-vocabulary.ts';
import { nameWords } from './import-opportunities.ts';
import type { RowProblem } from './import-validate.ts';
import { shippedTranslations } from './shipped-texts.ts';

/** What the import's value-mapping step lists for one unrecognised value. */
export interface UnknownValue {
  field: MappableField;
  value: string;
  rows: number;
  suggestion: string | null;
  /** For the workspace's own words (process and stage names): the names it may stand for. */
  choices?: string[];
}

let translations: ReturnType<typeof shippedTranslations> | undefined;

/**
 * The workspace name a value most likely stands for: one equal to it or containing it, else one
 * it contains (the longest), ignoring case, spaces and punctuation; a shipped name matches in
 * either language ("Proposal stage" → 方案).
 */
export function suggestName(value: string, names: readonly string[]): string | undefined {
  const key = headerKey(value);
  if (!key) return undefined;
  translations ??= shippedTranslations();
  let best: { name: string; score: number } | undefined;
  for (const name of names)
    for (const nameKey of nameWords(name, translations)) {
      if (nameKey.length < 2 && nameKey !== key) continue;
      const score =
        nameKey === key
          ? 3000
          : nameKey.includes(key)
            ? 2000 - nameKey.length
            : key.includes(nameKey)
              ? 1000 + nameKey.length
              : 0;
      if (score > (best?.score ?? 0)) best = { name, score };
    }
  return best?.name;
}

/**
 * Tallies the coded values a dry run did not recognise (problems `unknown_value`), so the
 * import can ask once per distinct value instead of once per row. A file of garbage in one
 * column must not grow this without bound: past `MAX_TRACKED` distinct values of a field new
 * ones are no longer tracked (their rows still carry the error).
 */
export class UnknownValueTally {
  static readonly MAX_TRACKED = 1000;
  static readonly MAX_LISTED = 100;
  private readonly byField = new Map<MappableField, Map<string, { value: string; rows: number }>>();

  add(problems: readonly RowProblem[]): void {
    for (const problem of problems) {
      if (problem.code !== 'unknown_value' || !isMappableField(problem.field)) continue;
      const value = String(problem.params?.value ?? '');
      const key = headerKey(value);
      let values = this.byField.get(problem.field);
      if (!values) this.byField.set(problem.field, (values = new Map()));
      const seen = values.get(key);
      if (seen) seen.rows++;
      else if (values.size < UnknownValueTally.MAX_TRACKED) values.set(key, { value, rows: 1 });
    }
  }

  /** Per field, the most frequent values first, at most MAX_LISTED of each; `names` are the workspace's words. */
  list(names: Partial<Record<WorkspaceWordField, readonly string[]>> = {}): UnknownValue[] {
    const out: UnknownValue[] = [];
    for (const [field, values] of this.byField)
      for (const { value, rows } of [...values.values()]
        .sort((a, b) => b.rows - a.rows || a.value.localeCompare(b.value))
        .slice(0, UnknownValueTally.MAX_LISTED)) {
        if (field === 'process' || field === 'stage') {
          const choices = [...(names[field] ?? [])];
          out.push({ field, value, rows, suggestion: suggestName(value, choices) ?? null, choices });
        } else out.push({ field, value, rows, suggestion: suggestCode(field, value) ?? null });
      }
    return out;
  }
}
