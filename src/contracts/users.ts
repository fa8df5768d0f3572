import { z } from 'zod';
import {
  email,
  listQuery,
  optionalText,
  password,
  queryBool,
  queryId,
  recordId,
  text,
  versionField,
} from './common.ts';
import { LOCALES, ROLES } from '../domain/roles.ts';

/** Users of the workspace (docs/organisation.md). */
export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  orgUnitPath: z
    .array(z.string())
    .describe("names of the units from the top of the organisation down to the user's unit"),
  orgUnitLabel: z
    .string()
    .describe(
      'the shortest tail of orgUnitPath, joined by " / ", that no other active unit shares: "上海分公司 / 销售一部"',
    ),
  title: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  locale: z.enum(LOCALES),
  canExport: z.boolean(),
  mustChangePassword: z
    .boolean()
    .describe(
      'the password was set by an administrator; until the user changes it, the API refuses everything but /auth/me, /auth/password and /auth/logout (403 password_change_required)',
    ),
  createdAt: z.number().int().describe('epoch milliseconds'),
  updatedAt: z.number().int(),
  deactivatedAt: z.number().int().nullable(),
  version: z.number().int(),
});

export const listUsersQuery = listQuery(['name', 'email', 'role', 'createdAt'], 'name', {
  q: z.string().trim().max(100).optional().describe('substring of name or email'),
  role: z.enum(ROLES).optional(),
  orgUnitId: queryId.optional().describe('unit, including its sub-units'),
  active: queryBool,
});

export const createUserRequest = z.strictObject({
  email,
  name: text(100),
  role: z.enum(ROLES),
  orgUnitId: recordId,
  password,
  title: optionalText(100),
  phone: optionalText(40),
  locale: z.enum(LOCALES).optional(),
  canExport: z.boolean().optional().describe('defaults by role: on for admin, executive, manager, finance'),
});

export const updateUserRequest = z.strictObject({
  version: versionField,
  email: email.optional(),
  name: text(100).optional(),
  role: z.enum(ROLES).optional(),
  orgUnitId: recordId.optional(),
  title: optionalText(100),
  phone: optionalText(40),
  canExport: z.boolean().optional(),
});

export const resetPasswordRequest = z.strictObject({ version: versionField, password });

export type User = z.infer<typeof userSchema>;
export type ListUsersQuery = z.infer<typeof listUsersQuery>;
export type CreateUserRequest = z.infer<typeof createUserRequest>;
export type CreateUserInput = z.input<typeof createUserRequest>;
export type UpdateUserRequest = z.infer<typeof updateUserRequest>;
export type UpdateUserInput = z.input<typeof updateUserRequest>;
export type ResetPasswordRequest = z.infer<typeof resetPasswordRequest>;
