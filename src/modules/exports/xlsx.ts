import { Readable } from 'node:stream';
import yazl from 'yazl';

/**
 * A one-sheet .xlsx written as a stream (docs/archive.md § Import and export export): yazl zips the parts while the
 * worksheet's XML is generated row by row from the pages the caller reads, so a whole
 * workspace never sits in memory. Text is written inline (no shared-strings table to hold),
 * numbers as numbers so the sheet can sum them; the minimal parts Excel, WPS and LibreOffice
 * need (ECMA-376 Part 1: content types, relationships, workbook, worksheet).
 */
export type XlsxCell = string | number | null;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const workbook = (sheetName: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const SHEET_START = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
const SHEET_END = '</sheetData></worksheet>';

// Characters XML 1.0 cannot hold at all (C0 controls but tab and line breaks, lone surrogates, U+FFFE/F).
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Excel's sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetNameOf = (name: string) => name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1';

export function columnName(index: number): string {
  let letters = '';
  for (let remaining = index + 1; remaining > 0; remaining = Math.floor((remaining - 1) / 26))
    letters = String.fromCharCode(65 + ((remaining - 1) % 26)) + letters;
  return letters;
}

function rowXml(rowNo: number, cells: XlsxCell[]): string {
  let xml = `<row r="${rowNo}">`;
  cells.forEach((cell, index) => {
    if (cell === null || cell === '') return;
    const ref = `${columnName(index)}${rowNo}`;
    xml +=
      typeof cell === 'number' && Number.isFinite(cell)
        ? `<c r="${ref}"><v>${cell}</v></c>`
        : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(String(cell))}</t></is></c>`;
  });
  return `${xml}</row>`;
}

/**
 * The text of each row of each page, joined into pieces of about CHUNK_CHARS characters. A page's
 * text joined whole (a thousand deals: ~1 MB of XML, twice that in memory as two-byte Chinese) is
 * past V8's largest ordinary object (128 KB), so V8 put each one among its large objects, which only
 * a full collection frees: at the scale set the million-deal export piled up to 123 MB of them on
 * PostgreSQL between two. A piece of 16,000 characters (at most 32 KB, plus one row) is an
 * ordinary young object that the next scavenge frees (issue 8: server memory ≤ 500 MB).
 */
export const CHUNK_CHARS = 16_000;

export async function* textInChunks<R>(
  start: string,
  pages: AsyncIterable<R[]>,
  line: (row: R) => string,
  end = '',
): AsyncGenerator<string> {
  let text = start;
  for await (const page of pages)
    for (const row of page) {
      text += line(row);
      if (text.length >= CHUNK_CHARS) {
        yield text;
        text = '';
      }
    }
  yield text + end;
}

/** The .xlsx as a stream: the header row, then each row of each page as it is read. */
export function xlsxStream(sheetName: string, headers: string[], pages: AsyncIterable<XlsxCell[][]>): Readable {
  const zip = new yazl.ZipFile();
  const opts = { mtime: new Date(), compress: true };
  zip.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml', opts);
  zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels', opts);
  zip.addBuffer(Buffer.from(workbook(sheetNameOf(sheetName))), 'xl/workbook.xml', opts);
  zip.addBuffer(Buffer.from(WORKBOOK_RELS), 'xl/_rels/workbook.xml.rels', opts);
  let rowNo = 1;
  const sheet = textInChunks(SHEET_START + rowXml(1, headers), pages, (cells) => rowXml(++rowNo, cells), SHEET_END);
  // Bytes, not objects: a stream of objects buffers 16 pieces ahead of the zip.
  const body = Readable.from(sheet, { objectMode: false });
  body.on('error', (e) => (zip.outputStream as Readable).destroy(e));
  zip.addReadStream(body, 'xl/worksheets/sheet1.xml', opts);
  zip.end();
  return zip.outputStream as Readable;
}
