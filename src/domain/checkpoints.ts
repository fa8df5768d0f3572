/**
 * The 1-15-30 rule (docs/rhythm.md § 1-15-30): every open deal is discussed in the weekly
 * review; 15 days after it entered the funnel it is checked again; at 30 days its intent is
 * judged — advanced with evidence, or disqualified. Dates are calendar dates (YYYY-MM-DD) in
 * the workspace's zone; adding days to a calendar date needs no zone.
 */
import type { Locale } from './roles.ts';

export const CHECKPOINT_KINDS = ['weekly', 'day15', 'day30'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];

export const CHECKPOINT_DAYS = { day15: 15, day30: 30 } as const;

/**
 * The title of the task a checkpoint gives the deal's owner, in the owner's language (the task
 * is theirs to read; a title, not a code, so it sorts, searches and edits like any task's).
 */
const TASK_TITLES: Record<Locale, Record<'day15' | 'day30', (deal: string) => string>> = {
  'zh-CN': { day15: (deal) => `15 天检查：${deal}`, day30: (deal) => `30 天判断：${deal}` },
  'en-US': { day15: (deal) => `15-day check: ${deal}`, day30: (deal) => `30-day judgement: ${deal}` },
};
export function checkpointTaskTitle(locale: string, kind: 'day15' | 'day30', deal: string): string {
  return (TASK_TITLES[locale as Locale] ?? TASK_TITLES['zh-CN'])[kind](deal);
}

/** A calendar date plus whole days. */
export function addDays(date: string, days: number): string {
  const instant = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(instant)) throw new RangeError(`not a date: ${date}`);
  return new Date(instant + days * 86_400_000).toISOString().slice(0, 10);
}

/** The two dated checkpoints of a deal that entered the funnel on `entered`. */
export function checkpointDates(entered: string): Record<'day15' | 'day30', string> {
  return { day15: addDays(entered, CHECKPOINT_DAYS.day15), day30: addDays(entered, CHECKPOINT_DAYS.day30) };
}

/**
 * What the weekly review of the week [weekStart, weekEnd] must look at for one open deal:
 * always the weekly look; the 15- and 30-day checkpoints falling in the week or overdue and
 * not yet done.
 */
export function checkpointsDue(
  deal: { entered: string; done: ReadonlySet<'day15' | 'day30'> },
  week: { start: string; end: string },
): CheckpointKind[] {
  const dates = checkpointDates(deal.entered);
  const due: CheckpointKind[] = ['weekly'];
  for (const kind of ['day15', 'day30'] as const) if (!deal.done.has(kind) && dates[kind] <= week.end) due.push(kind);
  return due;
}
