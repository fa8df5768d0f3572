import { z } from 'zod';
import { page, queryId, queryInt } from './common.ts';

/** The audit log (docs/organisation.md § Audit). */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  action: z.string(),
  actorUserId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.number().int().nullable(),
  subject: z.string().nullable(),
  targetName: z
    .string()
    .nullable()
    .describe('the current name of the user, unit, account, process, territory rule or import file the event is about'),
  ip: z.string().nullable(),
  detail: z.unknown().nullable(),
  createdAt: z.number().int(),
});

export const auditListQuery = z.strictObject({
  limit: queryInt(z.number().int().min(1).max(500)).default(50),
  offset: queryInt(z.number().int().min(0)).default(0),
  action: z.string().max(60).optional().describe('action prefix, e.g. "auth.login"'),
  actorUserId: queryId.optional(),
  since: queryInt(z.number().int()).optional().describe('epoch ms, inclusive'),
  until: queryInt(z.number().int()).optional().describe('epoch ms, exclusive'),
});
export const auditPage = page(auditEntrySchema);

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditListQuery = z.infer<typeof auditListQuery>;
export type AuditPage = z.infer<typeof auditPage>;
