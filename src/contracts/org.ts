import { z } from 'zod';
import { queryBool, recordId, text, versionField } from './common.ts';
import { ORG_UNIT_TYPES } from '../domain/roles.ts';
import { SALES_MODES } from '../domain/sales-mode.ts';

/** The org tree (docs/organisation.md). */
export const orgUnitSchema = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  type: z.enum(ORG_UNIT_TYPES),
  path: z.string().describe('ids from the top unit down, "/1/4/9/"'),
  depth: z.number().int(),
  sortOrder: z.number().int(),
  archived: z.boolean(),
  salesMode: z
    .enum(SALES_MODES)
    .nullable()
    .describe("the unit's own sales mode (docs/organisation.md § Sales modes); null follows the parent unit"),
  effectiveSalesMode: z
    .enum(SALES_MODES)
    .describe('the mode the unit works by: its own, or inherited (territory at the top)'),
  memberCount: z.number().int().optional().describe('active users directly in the unit'),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});

export const listUnitsQuery = z.strictObject({ includeArchived: queryBool });
export const orgUnitPage = z.object({ items: z.array(orgUnitSchema), total: z.number().int() });

const sortOrder = z.number().int().min(0).max(100_000);
const salesMode = z
  .enum(SALES_MODES)
  .nullable()
  .describe('territory (区域销售) or key_account (大客户部: named accounts go here); null follows the parent unit');

export const createUnitRequest = z.strictObject({
  parentId: recordId,
  name: text(100),
  type: z.enum(ORG_UNIT_TYPES),
  sortOrder: sortOrder.optional().describe('place among its siblings; by default after the last of them'),
  salesMode: salesMode.optional(),
});

export const updateUnitRequest = z.strictObject({
  version: versionField,
  name: text(100).optional(),
  type: z.enum(ORG_UNIT_TYPES).optional(),
  parentId: recordId.optional(),
  sortOrder: sortOrder.optional(),
  salesMode: salesMode.optional(),
});

export const versionRequest = z.strictObject({ version: versionField });

export type OrgUnit = z.infer<typeof orgUnitSchema>;
export type CreateUnitRequest = z.infer<typeof createUnitRequest>;
export type CreateUnitInput = z.input<typeof createUnitRequest>;
export type UpdateUnitRequest = z.infer<typeof updateUnitRequest>;
export type UpdateUnitInput = z.input<typeof updateUnitRequest>;
