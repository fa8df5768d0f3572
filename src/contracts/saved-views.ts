import { z } from 'zod';
import { text, versionField } from './common.ts';

/** A user's own saved list views: the list's URL parameters under a name. */
export const SAVED_VIEW_AREAS = ['accounts', 'contacts', 'opportunities'] as const;
const area = z.enum(SAVED_VIEW_AREAS);

export const savedViewSchema = z.object({
  id: z.number().int(),
  area,
  name: z.string(),
  query: z.record(z.string(), z.string()),
  version: z.number().int(),
  updatedAt: z.number().int(),
});
const queryField = z
  .record(z.string().max(40), z.string().max(200))
  .refine((q) => Object.keys(q).length <= 30, 'at most 30 parameters')
  .describe('list parameters as they appear in the URL');

export const listViewsQuery = z.strictObject({ area });
export const savedViewList = z.object({ items: z.array(savedViewSchema) });
export const createViewRequest = z.strictObject({ area, name: text(60), query: queryField });
export const updateViewRequest = z.strictObject({
  version: versionField,
  name: text(60).optional(),
  query: queryField.optional(),
});

export type SavedViewArea = (typeof SAVED_VIEW_AREAS)[number];
export type SavedView = z.infer<typeof savedViewSchema>;
export type CreateViewRequest = z.infer<typeof createViewRequest>;
export type UpdateViewRequest = z.infer<typeof updateViewRequest>;
