import { Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { parse as csvParser } from 'csv-parse';
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

export async function* readRows(
  bytes: Buffer,
  format: FileFormat,
  encoding: TextEncoding,
  limits: ImportLimits = IMPORT_LIMITS,
): AsyncGenerator<SheetRow> {
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
    stored += Buffer.byteLength(JSON.stringify(cells));
    if (stored > limits.storedBytes) {
      throw new ImportLimitError(
        'import_too_large',
        { name: 'storedBytes', max: limits.storedBytes },
        `holds more than ${formatBytes(limits.storedBytes)} of cells (by row ${row.rowNo}); split it into several files`,
        { row: row.rowNo },
      );
    }
    yield { rowNo: row.rowNo, cells };
    if (rows % YIELD_EVERY === 0) await yieldToLoop();
  }
}

function trimTrailing(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === '') end--;
  return end === cells.length ? cells : cells.slice(0, end);
}

async function* csvRows(bytes: Buffer, encoding: TextEncoding): AsyncGenerator<SheetRow> {
  // Decoded slice by slice (a streaming TextDecoder drops the BOM and keeps split characters whole).
  const slices = (function* () {
    const decoder = new TextDecoder(encoding);
    for (let i = 0; i < bytes.length; i += SLICE) yield decoder.decode(bytes.subarray(i, i + SLICE), { stream: true });
    yield decoder.decode();
  })();
  const parser = Readable.from(slices, { objectMode: false }).pipe(
    csvParser({
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      trim: false,
      max_record_size: IMPORT_LIMITS.cellChars * IMPORT_LIMITS.columns,
    }),
  );
  let rowNo = 0;
  for await (const record of parser as AsyncIterable<string[]>)
    yield { rowNo: ++rowNo, cells: record.map((c) => c.trim()) };
}
