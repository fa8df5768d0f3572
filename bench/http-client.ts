/**
 * The HTTP client of bench/request-cpu.ts `--via http`, in a process of its own (forked with an
 * IPC channel), so the server's process pays only for the server's side of each request — as in
 * production, where the browser is elsewhere. Each message asks for `count` GETs of one URL, one
 * after another on one kept-alive connection; the answer carries each one's wall milliseconds,
 * or the first failure (any status but 200).
 */
import http from 'node:http';

interface Batch {
  id: number;
  url: string;
  cookie: string | null;
  count: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

const get = (url: string, cookie: string | null) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.get(url, { agent, headers: cookie ? { cookie } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });

process.on('message', (message: Batch | 'stop') => {
  if (message === 'stop') {
    agent.destroy();
    process.disconnect();
    return;
  }
  void (async () => {
    const walls: number[] = [];
    try {
      for (let index = 0; index < message.count; index++) {
        const start = performance.now();
        const res = await get(message.url, message.cookie);
        walls.push(performance.now() - start);
        if (res.status !== 200) throw new Error(`${message.url}: ${res.status} ${res.body.slice(0, 300)}`);
      }
      process.send!({ id: message.id, walls });
    } catch (error) {
      process.send!({ id: message.id, error: String(error) });
    }
  })();
});
