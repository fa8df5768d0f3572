/**
 * How the benches time things and what they compare against: percentiles of a run, a timed loop
 * of concurrent callers, HTTP calls that fail loudly, and a bare Fastify answering the same JSON
 * (the floor of any page of that size).
 */
import Fastify from 'fastify';

export interface Figures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
  samples: number;
}

/** Percentiles of a list of milliseconds. */
export function figuresOf(samples: number[], seconds: number): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.at(-1) ?? Number.NaN,
    perSecond: sorted.length / seconds,
    samples: sorted.length,
  };
}

/**
 * `workers` loops calling `once` for `seconds` after up to five warm-up calls (fewer when they
 * take over a second: a page of several seconds is warm after one); latencies of every call.
 */
export async function measure(once: () => Promise<unknown>, workers: number, seconds: number): Promise<Figures> {
  const warming = performance.now();
  for (let i = 0; i < 5 && (i === 0 || performance.now() - warming < 1000); i++) await once();
  const samples: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const start = performance.now();
        await once();
        samples.push(performance.now() - start);
      }
    }),
  );
  return figuresOf(samples, (performance.now() - started) / 1000);
}

/** A GET over HTTP that throws unless it answers 200. */
export const httpGet = (url: string, cookie?: string) => async () => {
  const res = await fetch(url, cookie ? { headers: { cookie } } : {});
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer();
};

/** A POST of JSON over HTTP that throws unless it answers `expect` (201: created). */
export const httpPost =
  (url: string, cookie: string, body: unknown, expect = 201) =>
  async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== expect) throw new Error(`${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    await res.arrayBuffer();
  };

/** p50 / p99 / req/s, the cells of the scale benches' tables. */
export const formatFigures = (figures: Figures) =>
  `${figures.p50.toFixed(1)} / ${figures.p99.toFixed(1)} / ${figures.perSecond.toFixed(0)}`;

/** A bare Fastify answering stored JSON bodies: the floor of any page of that size. */
export async function bareFastify() {
  const bare = Fastify({ logger: false });
  const bodies = new Map<string, unknown>();
  bare.get('/bare/:name', async (request) => bodies.get((request.params as { name: string }).name));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;
  return {
    /** The URL that answers `body`. */
    serve(body: unknown) {
      const key = String(bodies.size);
      bodies.set(key, body);
      return `${origin}/bare/${key}`;
    },
    close: () => bare.close(),
  };
}
