import type { FileFormat, TextEncoding } from '../../domain/spreadsheet-format.ts';
import type { Counts, FailureInfo, UnknownValue } from '../../contracts/imports.ts';
import type { ValueMapping } from '../../domain/import-vocabulary.ts';

/** The import job's states and the report it carries (import_jobs.report, JSON). */
export type Outcome = 'create' | 'update' | 'skip' | 'error';

/** The job's states, the running ones (a process holds the lease, lease.ts), its counts and failure: the imports contract. */
export { RUNNING_STATUSES } from '../../contracts/imports.ts';
export type { Counts, FailureInfo, JobStatus, RunningStatus } from '../../contracts/imports.ts';

export interface Report {
  format?: FileFormat;
  encoding?: TextEncoding | null;
  detectedEncoding?: TextEncoding | null;
  replacementChars?: number;
  counts?: Counts;
  skipErrors?: boolean;
  result?: { created: number; updated: number; skipped: number };
  failure?: string | null;
  failureInfo?: FailureInfo | null;
  /** The value-mapping step's answers, keys normalised (normaliseValueMapping). */
  valueMapping?: ValueMapping;
  unknownValues?: UnknownValue[];
}

export const parseReport = (r: string | null): Report => (r ? (JSON.parse(r) as Report) : {});
