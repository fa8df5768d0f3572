/**
 * Workbooks for tests, written with the zip library the server reads with: ordinary ones (shared
 * strings and a date style, as Excel writes them) and the attack files of issue 14, generated
 * here rather than committed as binaries.
 */
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { columnName, escapeXml } from '../../src/modules/exports/xlsx.ts';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export type Part = string | Buffer | (() => Readable);

/** Zips the parts (a function part is streamed, for files too large to hold). */
export async function zipParts(parts: Record<string, Part>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, part] of Object.entries(parts)) {
    if (typeof part === 'function') zip.addReadStream(part(), name, { compressionLevel: 9 });
    else zip.addBuffer(Buffer.from(part), name);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The package parts around a worksheet: content types, relationships, workbook, styles with a date format (style 1). */
export function workbookParts(sheet: Part, sharedStrings?: Part): Record<string, Part> {
  return {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/styles.xml': `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`,
    'xl/worksheets/sheet1.xml': sheet,
    ...(sharedStrings !== undefined && { 'xl/sharedStrings.xml': sharedStrings }),
  };
}

export type TestCell = string | number | Date | null;

/** A workbook as Excel writes one: text in the shared strings, dates as serial numbers in a date style. */
export function workbook(rows: TestCell[][]): Promise<Buffer> {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const sheetRows = rows.map(
    (cells, rowIndex) =>
      `<row r="${rowIndex + 1}">${cells
        .map((cell, columnIndex) => {
          const ref = `${columnName(columnIndex)}${rowIndex + 1}`;
          if (cell === null || cell === '') return '';
          if (cell instanceof Date) return `<c r="${ref}" s="1"><v>${cell.getTime() / 86_400_000 + 25569}</v></c>`;
          if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`;
          if (!index.has(cell)) index.set(cell, strings.push(cell) - 1);
          return `<c r="${ref}" t="s"><v>${index.get(cell)}</v></c>`;
        })
        .join('')}</row>`,
  );
  const sst = `<?xml version="1.0" encoding="UTF-8"?><sst ${NS} count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('')}</sst>`;
  return zipParts(
    workbookParts(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
      sst,
    ),
  );
}

/** A stream of `total` bytes: `head`, then `unit` repeated, then `tail` — generated as it is read. */
export function repeated(head: string, unit: string, tail: string, total: number): () => Readable {
  return () =>
    Readable.from(
      (function* () {
        yield Buffer.from(head);
        const block = Buffer.from(unit.repeat(Math.max(1, Math.floor((1 << 20) / unit.length))));
        for (let written = head.length; written < total; written += block.length) yield block;
        yield Buffer.from(tail);
      })(),
    );
}

/**
 * Rewrites the uncompressed size an entry declares (local header and central directory), to
 * make an entry that lies about how much it inflates to.
 */
export function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const fileName = Buffer.from(name);
  for (const [sig, sizeAt, nameLenAt, nameAt] of [
    [0x04034b50, 22, 26, 30],
    [0x02014b50, 24, 28, 46],
  ] as const) {
    for (let i = 0; i < out.length - 4; i++) {
      if (out.readUInt32LE(i) !== sig) continue;
      const len = out.readUInt16LE(i + nameLenAt);
      if (len === fileName.length && out.subarray(i + nameAt, i + nameAt + len).equals(fileName))
        out.writeUInt32LE(size, i + sizeAt);
    }
  }
  return out;
}

/** One part of a zip, inflated (for checking what the export wrote). */
export async function readPart(zip: Buffer, name: string): Promise<string> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  return new Promise((resolve, reject) => {
    file.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName !== name) return file.readEntry();
      file.openReadStreamPromise(entry).then(async (stream) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
        resolve(Buffer.concat(chunks).toString('utf8'));
      }, reject);
    });
    file.on('end', () => reject(new Error(`${name} is not in the zip`)));
    file.readEntry();
  });
}
