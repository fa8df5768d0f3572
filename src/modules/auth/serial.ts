/**
 * Runs tasks that share a key one after another in this process, others in parallel.
 * Sign-in uses it per account: the failure count is read and the password checked as one
 * step, so a burst of parallel guesses cannot all pass the limit before any is counted.
 * (Several server processes each serialise their own requests: a burst spread across N
 * processes can exceed the limit by at most N − 1.)
 */
export function keyedSerial() {
  const tails = new Map<string, Promise<void>>();
  return async function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    tails.set(key, tail);
    await before;
    try {
      return await task();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
