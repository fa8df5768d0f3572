/**
 * Global search at the scale set (issues 8 and 11: ≤ 50 ms for an admin at 100k accounts):
 * each text as an admin, a manager and a rep — the API over HTTP beside the statements it ran
 * replayed as prepared statements and beside a bare Fastify answering the same JSON, all in
 * the same run (as bench/pages.ts). For a case whose SQL is over the target, each statement is
 * timed alone and the slow ones' plans printed (PostgreSQL: as they ran).
 *
 *   KEYLINE_DATA_DIR=/tmp/copy node bench/search.ts [--seconds 3] [--concurrency 4] [--texts 华锐,zw] [--only admin]
 *   DATABASE_URL=postgres://…/copy node bench/search.ts
 * The bench writes sessions: point it at a copy of the scale set, not the shared one.
 */
import { bareFastify, formatFigures, httpGet, measure, openScaleBench, type Sign } from './harness.ts';
import { printPlan } from './plans.ts';
import type { SearchResponse } from '../src/contracts/search.ts';

const TARGET_MS = 50;
/** A Chinese word, a name, a common single character, pinyin initials, Latin fragments (a product, an email), a phone fragment. */
const TEXTS = ['华锐', '张伟', '伟', 'zw', 'hw', 'mes', 'c1234', '5678'];

const bench = await openScaleBench({
  texts: { type: 'string', default: TEXTS.join(',') },
  slow: { type: 'string', default: '10' },
});
const { base, cookies, seconds, concurrency } = bench;
const texts = String(bench.args.texts).split(',');
const bare = await bareFastify();

const found = (group: { total: number; capped: boolean } | null) =>
  group ? `${group.total}${group.capped ? '+' : ''}` : '–';
console.log(
  '\n| text | who | found a / c / o | API p50 / p99 / req/s | its SQL p50 / p99 / req/s | API ÷ SQL (p50) | bare Fastify, same JSON | statements | API p50 ≤ 50? |',
);
console.log('|---|---|---|---:|---:|---:|---:|---:|---|');
const slowCases: { name: string; statements: Awaited<ReturnType<typeof bench.capture>>['statements'] }[] = [];
for (const text of texts) {
  for (const who of ['admin', 'manager', 'rep'] as Sign[]) {
    const name = `${text}, ${who}`;
    if (!bench.picked(name)) continue;
    const url = `${base}/api/v1/search?q=${encodeURIComponent(text)}`;
    const { result: res, statements } = await bench.capture(() => fetch(url, { headers: { cookie: cookies[who] } }));
    const body = (await res.json()) as SearchResponse;
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    const api = await measure(httpGet(url, cookies[who]), concurrency, seconds);
    const raw = await measure(bench.replayer(statements), bench.replayWorkers(concurrency), seconds);
    const fastify = await measure(httpGet(bare.serve(body)), concurrency, seconds);
    console.log(
      `| ${text} | ${who} | ${found(body.accounts)} / ${found(body.contacts)} / ${found(body.opportunities)} | ${formatFigures(api)} | ${formatFigures(raw)} | ×${(api.p50 / raw.p50).toFixed(1)} | ${formatFigures(fastify)} | ${statements.length} | ${api.p50 <= TARGET_MS ? 'yes' : 'no'} |`,
    );
    if (raw.p50 > TARGET_MS) slowCases.push({ name, statements });
  }
}
await bare.close();

// Where the SQL itself is over the target: which statement, and its plan.
for (const { name, statements } of slowCases) {
  console.log(`\n${name}: SQL over ${TARGET_MS} ms; each statement alone:`);
  for (const statement of statements) {
    const replay = bench.replayer([statement]);
    const start = performance.now();
    await replay();
    const ms = performance.now() - start;
    console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${statement.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
    if (ms >= Number(bench.args.slow)) await printPlan(bench, statement);
  }
}
await bench.close();
