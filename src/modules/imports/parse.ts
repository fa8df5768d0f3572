import { Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { parse as csvParser } from 'csv-parse';
import ExcelJS from 'exceljs';
import { decodeText, type FileFormat, type TextEncoding } from '../../domain/spreadsheet-format.ts';

/**
 * Rows of an uploaded file as arrays of trimmed strings, read incrementally: the CSV text is
 * fed to the parser in slices and the xlsx is read with exceljs's streaming reader, and the
 * loop yields to the event loop every few hundred rows, so a 100,000-row file never blocks
 * other requests for long (ARCHITECTURE.md § Performance habits).
 */
const SLICE = 64 * 1024;
const YIELD_EVERY = 500;

export async function* readRows(bytes: Buffer, format: FileFormat, encoding: TextEncoding): AsyncGenerator<string[]> {
  const source = format === 'xlsx' ? xlsxRows(bytes) : csvRows(decodeText(bytes, encoding));
  let n = 0;
  for await (const row of source) {
    yield row;
    if (++n % YIELD_EVERY === 0) await yieldToLoop();
  }
}

async function* csvRows(text: string): AsyncGenerator<string[]> {
  const slices = (function* () {
    for (let i = 0; i < text.length; i += SLICE) yield text.slice(i, i + SLICE);
  })();
  const parser = Readable.from(slices, { objectMode: false }).pipe(
    csvParser({ relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true, trim: false }),
  );
  for await (const record of parser as AsyncIterable<string[]>) yield record.map((c) => c.trim());
}

async function* xlsxRows(bytes: Buffer): AsyncGenerator<string[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit' });
  // The first worksheet only: an archive export has one sheet.
  for await (const sheet of reader) {
    let expected = 1;
    for await (const row of sheet) {
      // Blank rows are absent from the stream; keep numbering like Excel's row headers.
      for (; expected < row.number; expected++) yield [];
      expected = row.number + 1;
      const values = (row.values as unknown[]).slice(1);
      yield Array.from(values, cellText);
    }
    break;
  }
}

/** Any exceljs cell value as the text a person sees. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('').trim();
    if (o.text !== undefined) return cellText(o.text);
    if ('result' in o) return cellText(o.result);
    if (o.error) return '';
  }
  return String(v as string).trim();
}
