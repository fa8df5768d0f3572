import fs from 'node:fs';
import pg from 'pg';

/**
 * CPU time of the processes an import keeps busy, for bench/import.ts's phase figures: the
 * server's process (all its threads: the import's workers too) from /proc/<pid>/stat, and on
 * PostgreSQL every backend connected to the bench's database, sampled every 250 ms (a backend
 * that ends between two samples loses at most that much of its time) — apart, the backends
 * already there when the meter started (the server's own pool, which answers the probes and
 * stores the upload) and those that came later (the import workers' pools).
 */

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of a process, in ms; null once it has ended. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

export interface CpuMeter {
  /** CPU ms used so far: the server's; the database's backends' (0 on SQLite): the server pool's, the later ones'. */
  read(): Promise<{ server: number; pool: number; database: number }>;
  stop(): Promise<void>;
}

export async function cpuMeter(serverPid: number, databaseUrl?: string): Promise<CpuMeter> {
  const seen = new Map<number, { first: number; last: number; pool: boolean }>();
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  const sample = async () => {
    if (!client) return;
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    for (const { pid } of rows) {
      const used = processCpuMs(pid);
      if (used === null) continue;
      const known = seen.get(pid);
      if (known) known.last = used;
      // A backend already there when the meter starts counts from then; one that starts later from 0.
      else seen.set(pid, { first: timer ? 0 : used, last: used, pool: !timer });
    }
  };
  if (databaseUrl) {
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await sample();
    timer = setInterval(() => void sample().catch(() => undefined), 250);
  }
  return {
    async read() {
      await sample();
      let database = 0;
      let pool = 0;
      for (const { first, last, pool: ofPool } of seen.values())
        if (ofPool) pool += last - first;
        else database += last - first;
      return { server: processCpuMs(serverPid) ?? 0, pool, database };
    },
    async stop() {
      if (timer) clearInterval(timer);
      await client?.end();
    },
  };
}

/** The import-profile lines the server's phases wrote (src/modules/imports/profile.ts), as a table. */
export function profileTable(output: string, rows: number): string[] {
  const lines: string[] = [];
  for (const line of output.split('\n')) {
    const at = line.indexOf('import-profile ');
    if (at < 0) continue;
    const { phase, steps } = JSON.parse(line.slice(at + 'import-profile '.length)) as {
      phase: string;
      steps: Record<string, { wallMs: number; cpuMs: number; statements: number; calls: number }>;
    };
    const total = Object.values(steps).reduce(
      (sum, figures) => ({
        wallMs: sum.wallMs + figures.wallMs,
        cpuMs: sum.cpuMs + figures.cpuMs,
        statements: sum.statements + figures.statements,
      }),
      { wallMs: 0, cpuMs: 0, statements: 0 },
    );
    lines.push(
      `phase ${phase} (its thread): wall ${(total.wallMs / 1000).toFixed(1)} s, CPU ${(total.cpuMs / 1000).toFixed(1)} s, ${total.statements} statements`,
    );
    for (const [name, figures] of Object.entries(steps).sort((a, b) => b[1].wallMs - a[1].wallMs))
      lines.push(
        `  ${name.padEnd(44)} wall ${(figures.wallMs / 1000).toFixed(2).padStart(7)} s  CPU ${(figures.cpuMs / 1000).toFixed(2).padStart(7)} s  ${String(figures.statements).padStart(6)} stmts  ${((figures.cpuMs * 1000) / rows).toFixed(1).padStart(7)} µs CPU/row  ${figures.wallMs > 0 ? Math.round((rows / figures.wallMs) * 1000).toLocaleString('en') : '-'} rows/s`,
      );
  }
  return lines;
}
