import { z } from 'zod';
import { text } from './common.ts';

/** Uploaded files, e.g. stage evidence (docs/sales-process.md). The upload is the raw body. */
export const attachmentSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  createdAt: z.number().int(),
});
export const uploadQuery = z.strictObject({ fileName: text(255) });

export type Attachment = z.infer<typeof attachmentSchema>;
