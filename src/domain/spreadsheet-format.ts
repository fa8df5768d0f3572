/**
 * Pure helpers for files people exchange with spreadsheets (docs/archive.md § Import and export): recognising an
 * uploaded file, finding the text encoding of a CSV, and writing cells safely.
 */

export type FileFormat = 'csv' | 'xlsx';
export type TextEncoding = 'utf-8' | 'gb18030';
export const TEXT_ENCODINGS = ['utf-8', 'gb18030'] as const;

export type Sniffed = { format: FileFormat } | { format: 'unknown'; reason: string };

/**
 * Recognises a file by its content, never by its name: an .xlsx is a zip archive
 * ("PK\x03\x04"); the old binary .xls (an OLE compound file) and anything with NUL bytes
 * is refused; everything else is treated as CSV text.
 */
export function sniffFormat(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return { format: 'unknown', reason: 'the file is empty' };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return { format: 'xlsx' };
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    return { format: 'unknown', reason: 'this is an old Excel 97–2003 (.xls) file; save it as .xlsx or CSV' };
  }
  // UTF-16 text (Excel's "Unicode text") starts with FF FE / FE FF and is full of NULs.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { format: 'unknown', reason: 'UTF-16 text is not supported; save as CSV UTF-8 or .xlsx' };
  }
  const head = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return { format: 'unknown', reason: 'the file is neither CSV text nor an .xlsx workbook' };
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  }
  if (control > head.length / 100)
    return { format: 'unknown', reason: 'the file is neither CSV text nor an .xlsx workbook' };
  return { format: 'csv' };
}

const hasUtf8Bom = (b: Uint8Array) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/**
 * UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GB18030 — the superset
 * of GBK that Chinese Excel writes for "CSV (comma delimited)". Valid UTF-8 that is really
 * GBK is very unlikely beyond a few characters; the user can override the guess.
 */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  if (hasUtf8Bom(bytes)) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Decodes the text in the given encoding, dropping a byte-order mark. Invalid bytes become U+FFFD. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  const text = new TextDecoder(encoding).decode(hasUtf8Bom(bytes) && encoding === 'utf-8' ? bytes.subarray(3) : bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Replacement characters in decoded text: a sign that the encoding guess is wrong. */
export const countReplacementChars = (text: string): number => {
  let count = 0;
  for (const ch of text) if (ch === '\ufffd') count++;
  return count;
};

/**
 * Neutralises a cell a spreadsheet would evaluate as a formula ("CSV injection", OWASP):
 * text starting with = + - @ or a tab or carriage return gets a leading apostrophe, which
 * Excel and LibreOffice show as text. Applied to every exported text cell.
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV line of neutralised cells, CRLF-terminated as Excel expects. */
export function csvLine(values: (string | number | null | undefined)[]): string {
  return `${values.map((v) => csvField(typeof v === 'string' ? neutraliseCell(v) : v)).join(',')}\r\n`;
}

/** The byte-order mark that makes Excel open a UTF-8 CSV as UTF-8 (Chinese included). */
export const UTF8_BOM = '\ufeff';
