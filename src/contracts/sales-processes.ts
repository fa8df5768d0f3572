import { z } from 'zod';
import { optionalText, queryBool, queryId, recordId, text, versionField } from './common.ts';
import { BUYING_PHASES } from '../domain/buying-phase.ts';
import { TEAM_ROLES } from '../domain/opportunity.ts';

/** Sales processes and their stages (docs/sales-process.md § Sales processes and stages). */
export const EVIDENCE_REQUIREMENTS = ['check', 'note', 'attachment'] as const;
export const TEMPLATE_KEYS = ['small', 'large', 'seven_steps', 'p0_p7'] as const;
/** A process has at most this many stages. */
export const MAX_STAGES = 20;

const evidenceItem = z.strictObject({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,40}$/, 'must be 1–40 lower-case letters, digits or _'),
  label: text(200),
  requires: z.enum(EVIDENCE_REQUIREMENTS),
});
export const evidenceItemSchema = z.object({
  key: z.string(),
  label: z.string(),
  requires: z.enum(EVIDENCE_REQUIREMENTS),
});

export const stageSchema = z.object({
  id: z.number().int(),
  processId: z.number().int(),
  position: z.number().int(),
  name: z.string(),
  probability: z.number().int().describe('win probability, percent'),
  purpose: z.string().nullable(),
  milestone: z.string().nullable(),
  evidence: z.array(evidenceItemSchema),
  actions: z.array(z.string()),
  roles: z.array(z.string()),
  expectedDays: z.number().int(),
  buyingPhase: z.enum(BUYING_PHASES).nullable(),
  won: z.boolean(),
  version: z.number().int(),
});

const probability = z
  .number()
  .int()
  .min(0, 'must be 0–100')
  .max(100, 'must be 0–100')
  .describe('win probability, percent');

/** What an administrator sets on a stage, when adding it or editing it. */
const stageFields = {
  name: text(100),
  probability,
  purpose: optionalText(1000),
  milestone: optionalText(1000),
  evidence: z.array(evidenceItem).max(20).optional(),
  actions: z.array(text(500)).max(20).optional(),
  roles: z.array(z.enum(TEAM_ROLES)).max(8).optional(),
  expectedDays: z.number().int().min(0).max(730).optional(),
  buyingPhase: z.enum(BUYING_PHASES).nullable().optional(),
};

export const processSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  templateKey: z.string().nullable(),
  active: z.boolean(),
  stageCount: z.number().int(),
  openOpportunities: z.number().int().describe('open opportunities in this process that the caller may see'),
  updatedAt: z.number().int(),
  version: z.number().int(),
});
export const processSchema = processSummarySchema
  .omit({ stageCount: true, openOpportunities: true })
  .extend({ stages: z.array(stageSchema) });
const bilingual = z.object({ zh: z.string(), en: z.string() });

export const listProcessesQuery = z.strictObject({ includeInactive: queryBool });
export const processList = z.object({ items: z.array(processSummarySchema), total: z.number().int() });
export const templateSchema = z.object({
  key: z.string(),
  name: bilingual,
  description: bilingual,
  stages: z.array(z.object({ name: bilingual, probability: z.number().int() })),
});
export const templateList = z.object({ items: z.array(templateSchema) });

export const copyTemplateRequest = z.strictObject({
  templateKey: z.enum(TEMPLATE_KEYS),
  name: text(100).optional(),
  lang: z.enum(['zh', 'en']).default('zh'),
});
export const updateProcessRequest = z.strictObject({
  version: versionField,
  name: text(100).optional(),
  description: optionalText(1000),
  active: z.boolean().optional(),
});
export const updateStageRequest = z.strictObject({
  version: versionField,
  ...stageFields,
  name: stageFields.name.optional(),
  probability: stageFields.probability.optional(),
});
export const addStageRequest = z.strictObject({
  version: versionField.describe("The process's version you read; a stale one gets 409"),
  position: z.number().int().min(0).describe('0-based place of the new stage'),
  ...stageFields,
});
export const removeStageQuery = z.strictObject({
  version: queryId.optional().describe("The process's version you read; a stale one gets 409"),
});
export const stageOrderRequest = z.strictObject({
  version: versionField.describe("The process's version you read; a stale one gets 409"),
  stages: z
    .array(z.strictObject({ id: recordId, probability: probability.optional() }))
    .min(1)
    .max(MAX_STAGES),
});

/** The `opportunities` member of the 409 stage_in_use: the deals still in the stage being removed. */
export const stageInUseSchema = z.object({
  total: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  items: z.array(z.object({ id: z.number().int(), name: z.string(), status: z.string() })),
});

export type StageInUse = z.infer<typeof stageInUseSchema>;
export type EvidenceRequirement = (typeof EVIDENCE_REQUIREMENTS)[number];
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];
export type EvidenceItem = z.infer<typeof evidenceItemSchema>;
export type Stage = z.infer<typeof stageSchema>;
export type ProcessSummary = z.infer<typeof processSummarySchema>;
export type Process = z.infer<typeof processSchema>;
export type Template = z.infer<typeof templateSchema>;
export type CopyTemplateRequest = z.infer<typeof copyTemplateRequest>;
export type CopyTemplateInput = z.input<typeof copyTemplateRequest>;
export type UpdateProcessRequest = z.infer<typeof updateProcessRequest>;
export type UpdateProcessInput = z.input<typeof updateProcessRequest>;
export type UpdateStageRequest = z.infer<typeof updateStageRequest>;
export type UpdateStageInput = z.input<typeof updateStageRequest>;
export type AddStageRequest = z.infer<typeof addStageRequest>;
export type AddStageInput = z.input<typeof addStageRequest>;
export type StageOrderRequest = z.infer<typeof stageOrderRequest>;
export type StageOrderInput = z.input<typeof stageOrderRequest>;
