import type { BuyingPhase } from './buying-phase.ts';
import type { EvidenceRequirement, EvidenceTemplate, StageTemplate, Text } from './sales-process-templates.ts';

/** How the shipped templates write their texts and evidence items: both languages side by side. */
export const text = (zh: string, en: string): Text => ({ zh, en });
export const ev = (key: string, zh: string, en: string, requires: EvidenceRequirement = 'check'): EvidenceTemplate => ({
  key,
  label: text(zh, en),
  requires,
});

/** A stage whose purpose and milestone are its name, with no actions (the P0–P7 template's stages). */
export const stageTemplate = (
  key: string,
  zh: string,
  en: string,
  probability: number,
  buyingPhase: BuyingPhase | null,
  evidence: EvidenceTemplate[],
  expectedDays: number,
  roles: string[],
  won = false,
): StageTemplate => ({
  key,
  name: text(zh, en),
  probability,
  purpose: text(zh, en),
  milestone: text(zh, en),
  evidence,
  actions: [],
  roles,
  expectedDays,
  buyingPhase,
  ...(won ? { won } : {}),
});
