import { z } from 'zod';
import { email, password, text, versionField } from './common.ts';
import { LOCALES } from '../domain/roles.ts';

/** The workspace's settings and the first-run setup (docs/organisation.md). */
export const workspaceSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  currency: z.string(),
  timeZone: z.string(),
  fiscalYearStartMonth: z.number().int(),
  version: z.number().int(),
});

const timeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Asia/Shanghai')
  // Documented as the runtime's canonical zone names; the check also takes aliases (Asia/Chongqing).
  .meta({ enum: Intl.supportedValuesOf('timeZone') });

const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code');

export const setupStatusResponse = z.object({ needed: z.boolean() });

export const setupRequest = z.strictObject({
  workspaceName: text(100),
  adminName: text(100),
  adminEmail: email,
  adminPassword: password,
  locale: z.enum(LOCALES).optional(),
  timeZone: timeZone.optional(),
  currency: currency.optional(),
});
export const setupResponse = z.object({ workspaceId: z.number().int() });

export const updateWorkspaceRequest = z.strictObject({
  version: versionField,
  name: text(100).optional(),
  currency: currency.optional(),
  timeZone: timeZone.optional(),
  fiscalYearStartMonth: z.number().int().min(1).max(12).optional(),
});

export type Workspace = z.infer<typeof workspaceSchema>;
export type SetupStatus = z.infer<typeof setupStatusResponse>;
export type SetupRequest = z.infer<typeof setupRequest>;
export type SetupInput = z.input<typeof setupRequest>;
export type SetupResponse = z.infer<typeof setupResponse>;
export type UpdateWorkspaceRequest = z.infer<typeof updateWorkspaceRequest>;
export type UpdateWorkspaceInput = z.input<typeof updateWorkspaceRequest>;
