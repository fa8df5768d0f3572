import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readInWorker } from '../../src/modules/imports/reading.ts';

/**
 * The upload's file goes to the reading worker (src/modules/imports/reading.ts): a Buffer that owns
 * its memory is moved, not copied (a copy of a large file held the server's thread), and a Buffer
 * carved from Node's shared pool is copied, since moving the pool would empty the Buffers beside it.
 */
async function readAll(bytes: Buffer): Promise<{ rowNo: number; cells: string[] }[]> {
  const rows: { rowNo: number; cells: string[] }[] = [];
  for await (const batch of readInWorker(bytes, 'csv', 'utf-8'))
    for (const row of batch) rows.push({ rowNo: row.rowNo, cells: JSON.parse(row.data) as string[] });
  return rows;
}

describe('an upload read in the worker', () => {
  it('moves a large file to the worker: every row read in order, the caller left with an empty Buffer', async () => {
    const lines = ['客户名称,城市', ...Array.from({ length: 5000 }, (_, i) => `客户${i},苏州市`)];
    const bytes = Buffer.concat([Buffer.from(lines.join('\n'))]);
    assert.equal(bytes.buffer.byteLength, bytes.byteLength, 'the Buffer owns its memory');
    const rows = await readAll(bytes);
    assert.equal(rows.length, 5001);
    assert.deepEqual(rows[0]!.cells, ['客户名称', '城市']);
    assert.deepEqual(rows[5000]!.cells, ['客户4999', '苏州市']);
    assert.equal(bytes.byteLength, 0, 'moved, not copied');
  });

  it('copies a small file from the shared pool: it and its neighbours stay as they were', async () => {
    const before = Buffer.from('neighbour before');
    const bytes = Buffer.from('客户名称\n苏州精密机械有限公司\n');
    const after = Buffer.from('neighbour after');
    assert.ok(bytes.buffer.byteLength > bytes.byteLength, 'carved from the pool');
    const rows = await readAll(bytes);
    assert.deepEqual(
      rows.map((row) => row.cells),
      [['客户名称'], ['苏州精密机械有限公司']],
    );
    assert.equal(bytes.toString(), '客户名称\n苏州精密机械有限公司\n');
    assert.equal(before.toString(), 'neighbour before');
    assert.equal(after.toString(), 'neighbour after');
  });
});
