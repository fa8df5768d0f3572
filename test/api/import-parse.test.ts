import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseWhole } from 'csv-parse/sync';
import { readRows } from '../../src/modules/imports/parse.ts';

/**
 * The CSV reader of the import (src/modules/imports/parse.ts) reads a file slice by slice (64 KB):
 * its rows must be exactly those of csv-parse over the whole text at once, whatever straddles a
 * slice's edge — a three-byte character, a quoted cell with commas, doubled quotes or line breaks
 * — and each row carries its cells as the JSON text import_rows stores.
 */
describe('import CSV reader', () => {
  it('reads slice by slice exactly what a parse of the whole file reads, each row with its stored JSON', async () => {
    const cells = (row: number): string[] => {
      const text = `客户${'甲乙丙丁戊'.repeat(row % 7)}${row}`;
      switch (row % 5) {
        case 0:
          return [text, `"${text},带逗号"`, ` ${row} `];
        case 1:
          return [`"第一行\n第二行${row}"`, `"说""引号""${row}"`, ''];
        case 2:
          return ['', '', ''];
        case 3:
          return [text, '', '', ''];
        default:
          return [`"${'长'.repeat(row % 300)}"`, text];
      }
    };
    const lines = ['名称,备注,编号'];
    for (let i = 0; i < 6000; i++) lines.push(cells(i).join(','));
    const text = `${lines.join('\r\n')}\r\n`;
    const bytes = Buffer.from(`\ufeff${text}`);
    assert.ok(bytes.length > 4 * 64 * 1024, 'the file spans several slices');

    const expected = (parseWhole(text, { relax_column_count: true, relax_quotes: true }) as string[][])
      .map((record, index) => ({ rowNo: index + 1, cells: record.map((cell) => cell.trim()) }))
      .map((row) => {
        let end = row.cells.length;
        while (end > 0 && row.cells[end - 1] === '') end--;
        return { rowNo: row.rowNo, cells: row.cells.slice(0, end) };
      })
      .filter((row) => row.cells.length > 0);
    const read = [];
    for await (const row of readRows(bytes, 'csv', 'utf-8')) read.push(row);
    assert.equal(read.length, expected.length);
    assert.deepEqual(
      read.map((row) => ({ rowNo: row.rowNo, cells: row.cells })),
      expected,
    );
    for (const row of read) assert.equal(row.data, JSON.stringify(row.cells));
  });
});
