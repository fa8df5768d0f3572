import { z } from 'zod';
import { TIMELINE_GROUP_NAMES, TIMELINE_KINDS, type TimelineGroup } from '../domain/timeline.ts';
import { queryInt } from './common.ts';

/** The timeline of an account or a deal (docs/archive.md): pages of events, newest first, filtered by group. */
export const timelineQuery = z.strictObject({
  limit: queryInt(z.number().int().min(1).max(200)).default(30),
  offset: queryInt(z.number().int().min(0)).default(0),
  groups: z
    .string()
    .trim()
    .optional()
    .describe(`comma-separated: ${TIMELINE_GROUP_NAMES.join(', ')}; all when absent`)
    .meta({
      pattern: `^\\s*((${TIMELINE_GROUP_NAMES.join('|')})\\s*(,\\s*(${TIMELINE_GROUP_NAMES.join('|')})\\s*)*)?$`,
    })
    .transform((text, ctx) => {
      if (!text) return undefined;
      const parts = [
        ...new Set(
          text
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean),
        ),
      ];
      const bad = parts.filter((p) => !(TIMELINE_GROUP_NAMES as string[]).includes(p));
      if (bad.length)
        ctx.addIssue({
          code: 'custom',
          message: `unknown group ${bad.join(', ')}; use ${TIMELINE_GROUP_NAMES.join(', ')}`,
        });
      return parts as TimelineGroup[];
    }),
});

export const timelineEventSchema = z.object({
  id: z.string().describe('kind:source row id, stable across pages'),
  kind: z.enum(TIMELINE_KINDS),
  at: z.number().int(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  opportunityId: z.number().int().nullable(),
  opportunityName: z.string().nullable(),
  subject: z
    .string()
    .nullable()
    .describe(
      "account, contact, opportunity, stage entered, file, the completed step of a review, or an activity's subject",
    ),
  field: z
    .string()
    .nullable()
    .describe('*_changed: the field (owner, tier, amount, close_date, …); activity: its type'),
  from: z
    .string()
    .nullable()
    .describe('*_changed: old value (user ids as names); stage_moved: the stage left; review: the evidence seen'),
  to: z
    .string()
    .nullable()
    .describe(
      '*_changed: new value; opportunity_closed: won, lost or abandoned; review: the next action; activity: planned, done or cancelled',
    ),
  reason: z
    .string()
    .nullable()
    .describe("why: a change's reason, a loss reason code, a review's root cause; activity: its outcome"),
  detail: z
    .string()
    .nullable()
    .describe(
      "contact title and department, competitor a deal was lost to, joint plan of a review, file type, an activity's notes",
    ),
  amount: z
    .number()
    .nullable()
    .describe('fen: deal amount, contract amount when won; bytes for a file; minutes of an activity'),
  probability: z.number().int().nullable(),
  direction: z.string().nullable().describe('stage_moved: forward, skip, back or closed'),
  evidenceCount: z.number().int().nullable(),
});

export const timelinePageSchema = z.object({ items: z.array(timelineEventSchema), total: z.number().int() });

export type TimelineQuery = z.infer<typeof timelineQuery>;
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
export type TimelinePage = z.infer<typeof timelinePageSchema>;
