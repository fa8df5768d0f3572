import { isMainThread } from 'node:worker_threads';

/**
 * `keyline serve` runs with V8's young generation capped (issue 8: the server's memory ≤ 500 MB).
 * V8 sizes the young generation from the machine's memory: on a host with 16 GB or more each of
 * its two semi-spaces grows to 64 MB under a steady stream of allocations (an export of a million
 * deals, the first start's jobs), 128 MB resident that is mostly garbage between two scavenges,
 * and the old generation's garbage piles up on top of it. The cap can only be given when the
 * process starts (V8 reads it once, setFlagsFromString later has no effect), so `serve` re-executes
 * itself with it (process.execve: the same process id, nothing left running beside it) unless the
 * operator gave a semi-space size of their own (on the command line or in NODE_OPTIONS). Where
 * process.execve is missing (Windows) the server starts as before. Figures: docs/benchmarks.md
 * "The server's memory beside the first start's jobs".
 */
export const SERVE_SEMI_SPACE_MB = 16;

const FLAG = '--max-semi-space-size';

/** The arguments `serve` re-executes itself with, or null when it runs as it is. */
export function reexecArguments(
  argv: readonly string[],
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): string[] | null {
  if (argv[2] !== 'serve') return null;
  // V8 takes --max_semi_space_size too.
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some(
    (arg) => arg.replaceAll('_', '-').split('=')[0] === FLAG,
  );
  if (given) return null;
  return [argv[0]!, `${FLAG}=${SERVE_SEMI_SPACE_MB}`, ...execArgv, ...argv.slice(1)];
}

const args = isMainThread ? reexecArguments(process.argv, process.execArgv, process.env.NODE_OPTIONS) : null;
if (args && typeof process.execve === 'function') process.execve(process.execPath, args, process.env);
