import type { FileContact } from '../../domain/import-reports-to.ts';
import type { RowProblem } from '../../domain/import-validate.ts';
import type { Outcome } from './job-report.ts';

/** A stored row of the file as the dry run reads it, and the verdict each kind's check gives it (validate.ts). */
export type Raw = { row_no: number; data: string };

export interface Checked {
  rowNo: number;
  data: string;
  outcome: Outcome;
  problems: RowProblem[];
  targetId: number | null;
  duplicate: boolean;
  similar?: boolean;
  /** A contact row that creates or updates a contact: what its reports-to check needs. */
  contact?: FileContact;
}
