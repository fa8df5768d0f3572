import type { Db } from '../db/database.ts';
import { loadScaleSet, SCALE_SET, type ScaleSetSize } from '../demo/scale-set.ts';
import { DEMO_PASSWORD } from '../demo/company.ts';

/** `keyline demo --scale-set` options, each overriding one figure of the default set. */
export const SCALE_SET_OPTIONS = ['accounts', 'contacts-per-account', 'opportunities', 'activities', 'reps'] as const;

const FIELD: Record<(typeof SCALE_SET_OPTIONS)[number], keyof ScaleSetSize> = {
  accounts: 'accounts',
  'contacts-per-account': 'contactsPerAccount',
  opportunities: 'opportunities',
  activities: 'activities',
  reps: 'reps',
};

/** Builds the scale set and prints each step, the rows, the time and the process's peak memory. */
export async function buildScaleSet(db: Db, values: Record<string, string | undefined>): Promise<void> {
  const size = { ...SCALE_SET };
  for (const option of SCALE_SET_OPTIONS) {
    const given = values[option];
    if (given === undefined) continue;
    const value = Number(given);
    if (!Number.isInteger(value) || value < (option === 'activities' || option === 'opportunities' ? 0 : 1))
      throw new Error(
        `--${option} must be a whole number${option === 'activities' || option === 'opportunities' ? '' : ' ≥ 1'}`,
      );
    size[FIELD[option]] = value;
  }
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 200);
  try {
    const summary = await loadScaleSet(db, size, (line) => console.log(`  ${line}`));
    peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
    const rows = Object.entries(summary.rows)
      .map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`)
      .join(', ');
    console.log(
      `scale set loaded on ${db.engine} in ${summary.seconds.toFixed(0)} s, peak RSS ${Math.round(peak / 1048576)} MB: ${summary.units} org units, ${summary.users} users; ${rows}. Password for every user: ${DEMO_PASSWORD}`,
    );
  } finally {
    clearInterval(sampler);
  }
}
