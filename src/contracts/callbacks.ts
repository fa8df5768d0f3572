import { z } from 'zod';
import { listQuery, optionalText, queryId, recordId, versionField } from './common.ts';

/**
 * The random callback audit (docs/rhythm.md § Callback audit, SPEC §4.6): a reproducible
 * sample of each rep's logged visits in a month becomes callbacks for an auditor, who phones
 * the customer and records what they said. Pure zod: the web app imports the types.
 */
export const CALLBACK_OUTCOMES = ['confirmed', 'not_confirmed', 'feedback'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];
/** A list filter: the callbacks still to be made, or those answered one way. */
export const CALLBACK_STATES = ['open', ...CALLBACK_OUTCOMES] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];

/** A calendar month of the workspace zone, e.g. 2026-11. */
export const monthPeriod = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
  .describe('a calendar month of the workspace zone, YYYY-MM');

const person = z.object({ id: z.number().int(), name: z.string() });

export const callbackSchema = z.object({
  id: z.number().int(),
  period: z.string(),
  visit: z.object({
    id: z.number().int(),
    startAt: z.number().int(),
    subject: z.string().nullable(),
  }),
  account: z.object({ id: z.number().int(), name: z.string(), city: z.string().nullable() }),
  contacts: z
    .array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        title: z.string().nullable(),
        mobile: z.string().nullable(),
        phone: z.string().nullable(),
      }),
    )
    .describe("who to phone: the visit's contacts, or the account's when the visit named none"),
  rep: person,
  auditor: person,
  outcome: z.enum(CALLBACK_OUTCOMES).nullable().describe('null until answered'),
  feedback: z.string().nullable(),
  answeredAt: z.number().int().nullable(),
  version: z.number().int(),
  permissions: z.object({ answer: z.boolean().describe('the auditor it is assigned to, while it is open') }),
});

export const callbackListQuery = listQuery(['visitAt', 'answeredAt'], 'visitAt', {
  period: monthPeriod.optional(),
  repId: queryId.optional(),
  state: z.enum(CALLBACK_STATES).optional(),
});

export const callbackPage = z.object({ items: z.array(callbackSchema), total: z.number().int() });

export const answerCallbackRequest = z.strictObject({
  version: versionField,
  outcome: z.enum(CALLBACK_OUTCOMES),
  feedback: optionalText(2000).describe("what the customer said; required with outcome 'feedback'"),
});

export const drawCallbacksRequest = z.strictObject({
  period: monthPeriod.describe('a month that is over'),
  auditorId: recordId.optional().describe("who makes the calls; default: the workspace's first active auditor"),
});

export const drawCallbacksResponse = z.object({
  period: z.string(),
  ratePercent: z.number().int(),
  created: z.number().int().describe('callbacks created by this draw'),
  reps: z.array(
    z.object({
      rep: person,
      visits: z.number().int().describe('visits logged in the month'),
      sampled: z.number().int(),
      alreadyDrawn: z.boolean().describe("the rep's month had been drawn before: nothing new"),
    }),
  ),
});

export const callbackRatesQuery = z.strictObject({
  period: monthPeriod,
  orgUnitId: queryId.optional(),
});

const rateFigures = {
  drawn: z.number().int(),
  open: z.number().int(),
  confirmed: z.number().int(),
  notConfirmed: z.number().int(),
  feedback: z.number().int(),
  rate: z
    .number()
    .nullable()
    .describe('confirmed ÷ (confirmed + not confirmed), percent, one decimal; null before any'),
};

export const callbackRatesResponse = z.object({
  period: z.string(),
  items: z.array(z.object({ rep: person, orgUnitName: z.string(), ...rateFigures })),
  totals: z.object(rateFigures),
});

export type CallbackDto = z.infer<typeof callbackSchema>;
export type CallbackListQuery = z.infer<typeof callbackListQuery>;
export type CallbackPage = z.infer<typeof callbackPage>;
export type AnswerCallbackRequest = z.infer<typeof answerCallbackRequest>;
export type AnswerCallbackInput = z.input<typeof answerCallbackRequest>;
export type DrawCallbacksRequest = z.infer<typeof drawCallbacksRequest>;
export type DrawCallbacksResponse = z.infer<typeof drawCallbacksResponse>;
export type CallbackRatesResponse = z.infer<typeof callbackRatesResponse>;
export type CallbackRateRow = CallbackRatesResponse['items'][number];
