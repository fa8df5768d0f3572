/**
 * A `node --test` reporter that writes one JSON line per failed test: its file and name.
 * scripts/test.ts reads it to decide whether a failed run may retry its browser files.
 */
import type { TestEvent } from 'node:test/reporters';

export default async function* failedTests(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { file, name } = event.data as { file?: string; name: string };
    yield `${JSON.stringify({ file: file ?? null, name })}\n`;
  }
}
