/**
 * The caps of an import (docs/archive.md § Import and export), checked while the file is read, never after: what a user
 * can upload must not be able to exhaust the server (issue 14). A file over a cap is refused
 * with a problem naming the cap (`ImportLimitError`), and nothing of it is kept.
 *
 * The values leave room for the largest archive a customer sends (200,000 rows of a few dozen
 * columns: ~40 MB of stored cells, ~200 MB of worksheet XML) and stop the attacks: a 5 MB
 * .xlsx whose shared strings inflate to gigabytes, one cell in column XFD that turns every row
 * into 16,384 cells, a zip entry that lies about its size.
 */
const MB = 1024 * 1024;

export const IMPORT_LIMITS = {
  /** The upload itself (the request body). */
  fileBytes: 50 * MB,
  /** Data rows of a file (the header row not counted): split bigger files. */
  rows: 200_000,
  /** Cells of any row, counted up to its last non-empty cell: the archive has ~30 fields. */
  columns: 200,
  /** Characters of one cell: Excel's own limit. */
  cellChars: 32_767,
  /** The stored size of an import's rows (their cells as JSON): what sits in import_rows. */
  storedBytes: 64 * MB,
  /** Decompressed bytes of the worksheet XML: streamed, so this bounds time, not memory. */
  sheetBytes: 256 * MB,
  /** Decompressed bytes of the shared strings, which are held in memory while the sheet is read. */
  sharedStringsBytes: 64 * MB,
  /** Shared strings, and their characters: every one is held until the sheet is read. */
  sharedStrings: 1_000_000,
  sharedStringsChars: 32 * MB,
  /** Decompressed bytes of any other part read (workbook, relationships, styles). */
  otherPartBytes: 8 * MB,
  /** Decompressed bytes of every part read, together. */
  totalXmlBytes: 320 * MB,
  /** Entries of the zip archive (a workbook has a dozen). */
  zipEntries: 10_000,
  /** The reading worker's V8 heap: if the caps above were ever wrong, the worker dies, not the server. */
  workerHeapMb: 256,
  /** Reading workers at once per process; more uploads wait their turn. */
  concurrentReads: 2,
} as const;

export type ImportLimit = keyof typeof IMPORT_LIMITS;
export type ImportLimits = { readonly [K in ImportLimit]: number };

/** A cap crossed while reading: `code` for the problem, `limit` names the cap and its value. */
/** The problem codes of the caps (src/contracts/problems.ts), one per way a file can be too much. */
export type ImportLimitCode =
  | 'too_many_columns'
  | 'too_many_rows'
  | 'cell_too_long'
  | 'import_too_large'
  | 'file_too_complex'
  | 'xlsx_too_many_entries'
  | 'xlsx_part_too_large'
  | 'xlsx_size_mismatch'
  | 'xlsx_too_large'
  | 'xlsx_shared_strings_too_large'
  | 'xlsx_too_many_shared_strings';

export class ImportLimitError extends Error {
  readonly code: ImportLimitCode;
  readonly limit: { name: ImportLimit; max: number };
  readonly params: Record<string, string | number>;

  constructor(
    code: ImportLimitCode,
    limit: { name: ImportLimit; max: number },
    message: string,
    params: Record<string, string | number> = {},
  ) {
    super(message);
    this.code = code;
    this.limit = limit;
    this.params = params;
  }
}

export const formatBytes = (n: number) => (n >= MB ? `${Math.round(n / MB)} MB` : `${Math.round(n / 1024)} KB`);
