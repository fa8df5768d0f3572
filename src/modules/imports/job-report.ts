import type { FileFormat, TextEncoding } from '../../domain/spreadsheet-format.ts';

/** The import job's states and the report it carries (import_jobs.report, JSON). */
export type JobStatus = 'reading' | 'mapping' | 'validating' | 'validated' | 'committing' | 'committed' | 'failed';
export type Outcome = 'create' | 'update' | 'skip' | 'error';

/** The states in which a process works on the job, holding its lease (lease.ts). */
export const RUNNING_STATUSES = ['reading', 'validating', 'committing'] as const;
export type RunningStatus = (typeof RUNNING_STATUSES)[number];

/** `similar`: rows to be created whose name resembles an existing account's (a warning, docs/archive.md). */
export interface Counts { create: number; update: number; skip: number; error: number; duplicate: number; similar: number }

/**
 * Why a job failed, for the web page to say in its language: `interrupted` (the process running
 * it stopped; `phase` says which), `expired` (never committed; its rows were removed), or the
 * code of the refused file's problem.
 */
export interface FailureInfo { code: string; phase?: RunningStatus; params?: Record<string, string | number> }

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
}

export const parseReport = (r: string | null): Report => (r ? (JSON.parse(r) as Report) : {});
