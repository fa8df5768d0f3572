import type { BuyingPhase } from './buying-phase.ts';
import { P0P7 } from './sales-process-template-p0-p7.ts';
import { LARGE, SMALL } from './sales-process-template-projects.ts';
import { SEVEN } from './sales-process-template-seven-steps.ts';

/**
 * The four sales-process templates that ship (docs/sales-process.md § Sales processes and stages). Texts in both languages: a
 * workspace copies a template in its language and may then edit everything.
 */
export type Text = { zh: string; en: string };
export type EvidenceRequirement = 'check' | 'note' | 'attachment';

export interface EvidenceTemplate {
  key: string;
  label: Text;
  /** What the item needs beyond a tick: nothing, a note, or an attachment. */
  requires: EvidenceRequirement;
}

export interface StageTemplate {
  key: string;
  name: Text;
  probability: number;
  purpose: Text;
  milestone: Text;
  evidence: EvidenceTemplate[];
  actions: Text[];
  roles: string[];
  expectedDays: number;
  buyingPhase: BuyingPhase | null;
  /** The last stage: reaching it means won. */
  won?: boolean;
}

export interface ProcessTemplate {
  key: 'small' | 'large' | 'seven_steps' | 'p0_p7';
  name: Text;
  description: Text;
  stages: StageTemplate[];
}

export const PROCESS_TEMPLATES: readonly ProcessTemplate[] = [SMALL, LARGE, SEVEN, P0P7];
