import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { file, type Cell } from '../../src/modules/exports/service.ts';
import { CHUNK_CHARS, textInChunks } from '../../src/modules/exports/xlsx.ts';
import { csvLine, UTF8_BOM } from '../../src/domain/spreadsheet-format.ts';

// An export's text goes out in pieces of a bounded size, never a page's text at once (issue 8: a
// page's text joined whole was one of V8's large objects, freed only by a full collection).
describe('export streams', () => {
  const row = (n: number): Cell[] => [`客户 ${n}`, n, null, `备注 "${n}", 第二行\n`];
  async function* pages(count: number, size: number) {
    for (let page = 0; page < count; page++) yield Array.from({ length: size }, (_, index) => row(page * size + index));
  }

  it('a CSV export of pages of 1,000 rows is written in pieces of about CHUNK_CHARS, the same text as before', async () => {
    const headers = ['名称', 'Amount', 'Empty', 'Notes'];
    const body = file('x', 'csv', headers, pages(3, 1000), 3000, 'x').body;
    const pieces: Buffer[] = [];
    for await (const piece of body) pieces.push(piece as Buffer);
    const text = Buffer.concat(pieces).toString('utf8');
    const lines = Array.from({ length: 3000 }, (_, n) => csvLine(row(n)));
    assert.equal(text, UTF8_BOM + csvLine(headers) + lines.join(''));
    const longest = Math.max(...lines.map((line) => line.length));
    for (const piece of pieces)
      assert.ok(piece.toString('utf8').length < CHUNK_CHARS + longest, `${piece.length} bytes`);
    assert.ok(pieces.length > 3, `${pieces.length} pieces`);
  });

  it('textInChunks keeps the start, every row in order and the end, across pages and empty pages', async () => {
    async function* uneven() {
      yield ['a'.repeat(CHUNK_CHARS - 1)];
      yield [];
      yield ['b', 'c'.repeat(CHUNK_CHARS * 2), 'd'];
    }
    const pieces: string[] = [];
    for await (const piece of textInChunks('<', uneven(), (text: string) => text, '>')) pieces.push(piece);
    assert.equal(pieces.join(''), `<${'a'.repeat(CHUNK_CHARS - 1)}b${'c'.repeat(CHUNK_CHARS * 2)}d>`);
    assert.deepEqual(
      pieces.map((piece) => piece.length),
      [CHUNK_CHARS, 1 + CHUNK_CHARS * 2, 2],
    );
  });
});
