import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { parse as csvStream } from 'csv-parse/stream';
import type { FileFormat, TextEncoding } from '../../domain/spreadsheet-format.ts';
import { formatBytes, IMPORT_LIMITS, ImportLimitError, type ImportLimits } from './limits.ts';
import { xlsxRows, type SheetRow } from './xlsx-reader.ts';

/**
 * The non-empty rows of an uploaded file as arrays of trimmed strings, read incrementally:
 * the CSV is decoded and parsed slice by slice, the xlsx streams part by part
 * (xlsx-reader.ts). Every row passes the import's caps as it is read (limits.ts): cells per
 * row (up to its last non-empty cell), characters per cell, rows per file and the stored
 * size, so reading stops at the first row over a cap. Runs in the reading worker (worker.ts).
 */
const SLICE = 64 * 1024;
const YIELD_EVERY = 500;

export type { SheetRow };

/** A row as import_rows stores it: its cells as JSON text, written once here (it is also the size counted). */
export interface StoredRow {
  rowNo: number;
  data: string;
}

export async function* readRows(
  bytes: Buffer,
  format: FileFormat,
  encoding: TextEncoding,
  limits: ImportLimits = IMPORT_LIMITS,
): AsyncGenerator<SheetRow & StoredRow> {
  const source = format === 'xlsx' ? xlsxRows(bytes, limits) : csvRows(bytes, encoding);
  let rows = 0;
  let stored = 0;
  for await (const row of source) {
    const cells = trimTrailing(row.cells);
    if (cells.length === 0) continue;
    if (cells.length > limits.columns) {
      throw new ImportLimitError(
        'too_many_columns',
        { name: 'columns', max: limits.columns },
        `row ${row.rowNo} has ${cells.length} columns; at most ${limits.columns} are supported`,
        { row: row.rowNo },
      );
    }
    const long = cells.findIndex((c) => c.length > limits.cellChars);
    if (long >= 0) {
      throw new ImportLimitError(
        'cell_too_long',
        { name: 'cellChars', max: limits.cellChars },
        `row ${row.rowNo}, column ${long + 1} is longer than ${limits.cellChars.toLocaleString('en')} characters`,
        { row: row.rowNo },
      );
    }
    // The header row is not a data row.
    if (++rows > limits.rows + 1) {
      throw new ImportLimitError(
        'too_many_rows',
        { name: 'rows', max: limits.rows },
        `has more than ${limits.rows.toLocaleString('en')} rows; split it into several files`,
      );
    }
    const data = JSON.stringify(cells);
    stored += Buffer.byteLength(data);
    if (stored > limits.storedBytes) {
      throw new ImportLimitError(
        'import_too_large',
        { name: 'storedBytes', max: limits.storedBytes },
        `holds more than ${formatBytes(limits.storedBytes)} of cells (by row ${row.rowNo}); split it into several files`,
        { row: row.rowNo },
      );
    }
    yield { rowNo: row.rowNo, cells, data };
    if (rows % YIELD_EVERY === 0) await yieldToLoop();
  }
}

function trimTrailing(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === '') end--;
  return end === cells.length ? cells : cells.slice(0, end);
}

async function* csvRows(bytes: Buffer, encoding: TextEncoding): AsyncGenerator<SheetRow> {
  // csv-parse's core fed slice by slice, each slice's records collected by `on_record` and handed
  // on in one go: piping a Node stream and iterating it asynchronously cost twice the parse itself
  // (a promise and a stream push per record).
  let rowNo = 0;
  let parsed: SheetRow[] = [];
  const parser = csvStream({
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
    trim: false,
    max_record_size: IMPORT_LIMITS.cellChars * IMPORT_LIMITS.columns,
    on_record: (record: string[]) => {
      parsed.push({ rowNo: ++rowNo, cells: record.map((cell) => cell.trim()) });
      return null;
    },
  });
  const writer = parser.writable.getWriter();
  // Nothing is ever enqueued (on_record keeps every record); reading lets the stream report its end.
  const drained = parser.readable.getReader().closed;
  // Decoded slice by slice (a streaming TextDecoder drops the BOM and keeps split characters whole).
  const decoder = new TextDecoder(encoding);
  for (let at = 0; at <= bytes.length; at += SLICE) {
    const text =
      at < bytes.length ? decoder.decode(bytes.subarray(at, at + SLICE), { stream: true }) : decoder.decode();
    // csv-parse reads bytes: the decoded text goes in as UTF-8 (the file may be GB18030).
    if (text) await writer.write(Buffer.from(text));
    const ready = parsed;
    parsed = [];
    yield* ready;
  }
  await writer.close();
  await drained;
  yield* parsed;
}
