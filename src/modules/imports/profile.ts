import type { Kysely, KyselyPlugin } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * Where an import phase's time goes (bench/import.ts, README "Import speed"): with
 * `KEYLINE_IMPORT_PROFILE=1` each phase's steps are timed — wall, CPU of the thread running it
 * and statements sent — each step's own time only (a step inside another is not counted twice),
 * and the phase writes one `import-profile {json}` line to stderr as it ends. Off, a step is a
 * plain call.
 */

export interface StepFigures {
  wallMs: number;
  cpuMs: number;
  statements: number;
  calls: number;
}

const on = process.env.KEYLINE_IMPORT_PROFILE === '1';
let steps = new Map<string, StepFigures>();
const stack: string[] = [];
let statements = 0;
let mark = { wall: 0, cpu: 0, statements: 0 };

const cpuNow = () => {
  const used = process.threadCpuUsage();
  return (used.user + used.system) / 1000;
};

/** Charges what passed since the last mark to the innermost running step. */
function charge() {
  const now = { wall: performance.now(), cpu: cpuNow(), statements };
  const name = stack[stack.length - 1];
  if (name !== undefined) {
    const figures = steps.get(name) ?? { wallMs: 0, cpuMs: 0, statements: 0, calls: 0 };
    figures.wallMs += now.wall - mark.wall;
    figures.cpuMs += now.cpu - mark.cpu;
    figures.statements += now.statements - mark.statements;
    steps.set(name, figures);
  }
  mark = now;
}

function enter(name: string) {
  charge();
  stack.push(name);
  const figures = steps.get(name);
  if (figures) figures.calls++;
  else steps.set(name, { wallMs: 0, cpuMs: 0, statements: 0, calls: 1 });
}

/** Runs `fn` as the step `name` (timed only when profiling). */
export async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!on) return fn();
  enter(name);
  try {
    return await fn();
  } finally {
    charge();
    stack.pop();
  }
}

/** Counts every statement sent through the returned instance (the phase's connection) when profiling. */
export function counted(db: Kysely<Database>): Kysely<Database> {
  if (!on) return db;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return db.withPlugin(plugin);
}

/** Writes the phase's figures to stderr and starts afresh (when profiling). */
export function report(phase: string, jobId: number) {
  if (!on) return;
  charge();
  const out = Object.fromEntries([...steps].map(([name, figures]) => [name, figures]));
  process.stderr.write(`import-profile ${JSON.stringify({ phase, jobId, steps: out })}\n`);
  steps = new Map();
}

/** A synchronous step (a look-up per row). */
export function stepSync<T>(name: string, fn: () => T): T {
  if (!on) return fn();
  enter(name);
  try {
    return fn();
  } finally {
    charge();
    stack.pop();
  }
}
