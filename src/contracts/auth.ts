import { z } from 'zod';
import { optionalText, password, text } from './common.ts';
import { CAPABILITIES } from './capabilities.ts';
import { LOCALES } from '../domain/roles.ts';
import { userSchema } from './users.ts';
import { workspaceSchema } from './workspace.ts';

/** Sign-in, the session's user and own settings (docs/organisation.md § Roles). */
export const meSchema = z.object({
  user: userSchema,
  workspace: workspaceSchema,
  reach: z
    .enum(['workspace', 'subtree', 'unit'])
    .describe(
      'how much of the organisation the user sees: all of it (admin, executive), their subtree (manager), their own unit',
    ),
  capabilities: z
    .array(z.enum(CAPABILITIES))
    .describe("what the user may do: route declarations name these; decided by role and the user's own grants"),
});

export const loginRequest = z.strictObject({
  email: z.string().trim().min(1, { message: 'is required', abort: true }).regex(/\S/, 'must not be empty').max(254),
  password: z.string().min(1, 'is required').max(128),
});

export const updateMeRequest = z.strictObject({
  name: text(100).optional(),
  phone: optionalText(40),
  locale: z.enum(LOCALES).optional(),
});

export const changePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1, 'is required').max(128),
  newPassword: password,
});

export type Me = z.infer<typeof meSchema>;
export type Reach = Me['reach'];
export type LoginRequest = z.infer<typeof loginRequest>;
export type UpdateMeRequest = z.infer<typeof updateMeRequest>;
export type UpdateMeInput = z.input<typeof updateMeRequest>;
export type ChangePasswordRequest = z.infer<typeof changePasswordRequest>;
