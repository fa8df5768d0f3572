import { headerKey, isCodedField, suggestCode, type CodedField } from './import-fields.ts';
import type { RowProblem } from './import-validate.ts';

/** What the import's value-mapping step lists for one unrecognised value. */
export interface UnknownValue {
  field: CodedField;
  value: string;
  rows: number;
  suggestion: string | null;
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
  private readonly byField = new Map<CodedField, Map<string, { value: string; rows: number }>>();

  add(problems: readonly RowProblem[]): void {
    for (const problem of problems) {
      if (problem.code !== 'unknown_value' || !isCodedField(problem.field)) continue;
      const value = String(problem.params?.value ?? '');
      const key = headerKey(value);
      let values = this.byField.get(problem.field);
      if (!values) this.byField.set(problem.field, (values = new Map()));
      const seen = values.get(key);
      if (seen) seen.rows++;
      else if (values.size < UnknownValueTally.MAX_TRACKED) values.set(key, { value, rows: 1 });
    }
  }

  /** Per field, the most frequent values first, at most MAX_LISTED of each. */
  list(): UnknownValue[] {
    const out: UnknownValue[] = [];
    for (const [field, values] of this.byField)
      for (const { value, rows } of [...values.values()]
        .sort((a, b) => b.rows - a.rows || a.value.localeCompare(b.value))
        .slice(0, UnknownValueTally.MAX_LISTED))
        out.push({ field, value, rows, suggestion: suggestCode(field, value) ?? null });
    return out;
  }
}
