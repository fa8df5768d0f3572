import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import sax from 'sax';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { formatBytes, IMPORT_LIMITS, ImportLimitError, type ImportLimit, type ImportLimits } from './limits.ts';
import { cellValue, columnIndex, isDateFormat } from './xlsx-cells.ts';

/**
 * The first worksheet of an .xlsx as rows of trimmed strings, in bounded memory (issue 14).
 * yauzl reads the zip's central directory from the buffer and inflates one part at a time;
 * sax parses each part as it inflates. Only the shared strings and the date styles are kept;
 * the worksheet streams through. Every cap (limits.ts) is checked as bytes arrive:
 * - a part declaring more bytes than its cap is refused before anything is inflated;
 * - every part's inflated bytes are counted, alone and together, and inflating stops at the
 *   first byte over a cap — declared sizes are not trusted (yauzl also refuses an entry that
 *   inflates to more than it declares);
 * - shared strings are capped in number and characters, a cell in characters, and a cell
 *   beyond the column cap is refused from its reference (A1-style) before any row is built.
 */
export interface SheetRow {
  rowNo: number;
  cells: string[];
}

const LAST_ROW = 1_048_576;

export async function* xlsxRows(bytes: Buffer, limits: ImportLimits = IMPORT_LIMITS): AsyncGenerator<SheetRow> {
  const zip = await yauzl.fromBufferPromise(bytes, {
    lazyEntries: true,
    validateEntrySizes: true,
    decodeStrings: true,
    strictFileNames: false,
  });
  const entries = await listEntries(zip, limits.zipEntries);
  const reader = new PartReader(zip, entries, limits);
  const workbookPath =
    (await reader.relationships('_rels/.rels', '')).find((r) => r.type.endsWith('/officeDocument'))?.target ??
    'xl/workbook.xml';
  const workbook = await reader.workbook(workbookPath);
  const dir = path.posix.dirname(workbookPath);
  const rels = await reader.relationships(`${dir}/_rels/${path.posix.basename(workbookPath)}.rels`, dir);
  const sheetPath = rels.find((r) => r.id === workbook.firstSheetRel)?.target;
  if (!sheetPath || !entries.has(sheetPath)) throw new Error('the workbook has no worksheet');
  const stylesPath = rels.find((r) => r.type.endsWith('/styles'))?.target;
  const dates = stylesPath ? await reader.dateStyles(stylesPath) : new Set<number>();
  const stringsPath = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target;
  const strings = stringsPath ? await reader.sharedStrings(stringsPath) : [];
  yield* reader.sheet(sheetPath, { strings, dates, date1904: workbook.date1904 });
}

function listEntries(zip: ZipFile, max: number): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zip.on('error', reject);
    zip.on('end', () => resolve(entries));
    zip.on('entry', (entry: Entry) => {
      if (entries.size >= max) {
        zip.close();
        reject(
          new ImportLimitError(
            'xlsx_too_many_entries',
            { name: 'zipEntries', max },
            `has more than ${max} entries in its zip archive; this is not a workbook Keyline can read`,
          ),
        );
        return;
      }
      entries.set(entry.fileName.replace(/^\//, ''), entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const attr = (node: sax.Tag, name: string): string | undefined => {
  for (const [attrName, attrValue] of Object.entries(node.attributes))
    if (attrName === name || local(attrName) === name) return attrValue;
  return undefined;
};

interface Handlers {
  open?(node: sax.Tag, name: string): void;
  close?(name: string): void;
  text?(chunk: string): void;
}

class PartReader {
  private inflated = 0;
  private readonly zip: ZipFile;
  private readonly entries: Map<string, Entry>;
  private readonly limits: ImportLimits;

  constructor(zip: ZipFile, entries: Map<string, Entry>, limits: ImportLimits) {
    this.zip = zip;
    this.entries = entries;
    this.limits = limits;
  }

  /** The part's text as it inflates, each chunk counted against the part's cap and the total. */
  private async *text(name: string, cap: ImportLimit): AsyncGenerator<string> {
    const entry = this.entries.get(name);
    if (!entry) return;
    const max = this.limits[cap];
    const tooLarge = () =>
      new ImportLimitError(
        'xlsx_part_too_large',
        { name: cap, max },
        `${name} inflates to more than ${formatBytes(max)}; save the sheet as CSV or split it`,
        { part: name },
      );
    if (entry.uncompressedSize > max) throw tooLarge();
    if (this.inflated + entry.uncompressedSize > this.limits.totalXmlBytes) throw this.totalTooLarge();
    const stream = await this.zip.openReadStreamPromise(entry);
    const decoder = new StringDecoder('utf8');
    let bytes = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        this.inflated += chunk.length;
        if (bytes > max) throw tooLarge();
        if (this.inflated > this.limits.totalXmlBytes) throw this.totalTooLarge();
        yield decoder.write(chunk);
      }
      yield decoder.end();
    } catch (error) {
      // yauzl stops an entry the moment it inflates past (or short of) the size it declares.
      if (error instanceof Error && /bytes in the stream/.test(error.message)) {
        throw new ImportLimitError(
          'xlsx_size_mismatch',
          { name: cap, max },
          `${name} does not inflate to the ${formatBytes(entry.uncompressedSize)} it declares; the file is damaged or crafted`,
          { part: name },
        );
      }
      throw error;
    } finally {
      stream.destroy();
    }
  }

  private totalTooLarge() {
    const max = this.limits.totalXmlBytes;
    return new ImportLimitError(
      'xlsx_too_large',
      { name: 'totalXmlBytes', max },
      `inflates to more than ${formatBytes(max)} of XML; save the sheet as CSV or split it`,
    );
  }

  /** Parses a part with sax, calling `between` after each inflated chunk (the sheet yields rows there). */
  private async *parse(name: string, cap: ImportLimit, handlers: Handlers): AsyncGenerator<void> {
    const parser = sax.parser(true, { trim: false, normalize: false, position: false } as sax.SAXOptions);
    parser.onerror = (error) => {
      throw new Error(`${name} is not well-formed XML: ${error.message.split('\n')[0]}`);
    };
    if (handlers.open) parser.onopentag = (node) => handlers.open!(node as sax.Tag, local(node.name));
    if (handlers.close) parser.onclosetag = (n) => handlers.close!(local(n));
    if (handlers.text) parser.ontext = parser.oncdata = handlers.text;
    for await (const chunk of this.text(name, cap)) {
      parser.write(chunk);
      yield;
    }
    parser.close();
  }

  private async run(name: string, cap: ImportLimit, handlers: Handlers) {
    for await (const _ of this.parse(name, cap, handlers)) void _;
  }

  async relationships(name: string, base: string) {
    const out: { id: string; type: string; target: string }[] = [];
    await this.run(name, 'otherPartBytes', {
      open(node, tag) {
        if (tag !== 'Relationship' || attr(node, 'TargetMode') === 'External') return;
        const target = attr(node, 'Target') ?? '';
        out.push({
          id: attr(node, 'Id') ?? '',
          type: attr(node, 'Type') ?? '',
          target: target.startsWith('/') ? target.slice(1) : path.posix.join(base, target),
        });
      },
    });
    return out;
  }

  async workbook(name: string) {
    if (!this.entries.has(name)) throw new Error('it is a zip archive but not an Excel workbook');
    const wb = { firstSheetRel: '', date1904: false };
    await this.run(name, 'otherPartBytes', {
      open(node, tag) {
        if (tag === 'workbookPr') wb.date1904 = ['1', 'true'].includes(attr(node, 'date1904') ?? '');
        if (tag === 'sheet' && !wb.firstSheetRel) wb.firstSheetRel = attr(node, 'id') ?? '';
      },
    });
    return wb;
  }

  /** The cell styles (indexes into cellXfs) whose number format shows a date. */
  async dateStyles(name: string) {
    const custom = new Map<number, string>();
    const dates = new Set<number>();
    let inXfs = false;
    let xf = 0;
    await this.run(name, 'otherPartBytes', {
      open(node, tag) {
        if (tag === 'numFmt') custom.set(Number(attr(node, 'numFmtId')), attr(node, 'formatCode') ?? '');
        else if (tag === 'cellXfs') inXfs = true;
        else if (tag === 'xf' && inXfs) {
          const id = Number(attr(node, 'numFmtId') ?? 0);
          if (isDateFormat(id, custom.get(id))) dates.add(xf);
          xf++;
        }
      },
      close(tag) {
        if (tag === 'cellXfs') inXfs = false;
      },
    });
    return dates;
  }

  async sharedStrings(name: string) {
    const { sharedStrings: maxCount, sharedStringsChars: maxChars, cellChars } = this.limits;
    const strings: string[] = [];
    let chars = 0;
    let current: string | null = null;
    let inText = false;
    let phonetic = 0;
    await this.run(name, 'sharedStringsBytes', {
      open(_node, tag) {
        if (tag === 'si') current = '';
        else if (tag === 'rPh') phonetic++;
        else if (tag === 't' && current !== null && phonetic === 0) inText = true;
      },
      text(text) {
        if (!inText) return;
        current += text;
        chars += text.length;
        if (current!.length > cellChars)
          throw new ImportLimitError(
            'cell_too_long',
            { name: 'cellChars', max: cellChars },
            `has a text longer than ${cellChars.toLocaleString('en')} characters (shared string ${strings.length + 1})`,
          );
        if (chars > maxChars)
          throw new ImportLimitError(
            'xlsx_shared_strings_too_large',
            { name: 'sharedStringsChars', max: maxChars },
            `holds more than ${maxChars.toLocaleString('en')} characters of shared text; save the sheet as CSV or split it`,
          );
      },
      close(tag) {
        if (tag === 't') inText = false;
        else if (tag === 'rPh') phonetic--;
        else if (tag === 'si' && current !== null) {
          if (strings.length >= maxCount)
            throw new ImportLimitError(
              'xlsx_too_many_shared_strings',
              { name: 'sharedStrings', max: maxCount },
              `holds more than ${maxCount.toLocaleString('en')} shared strings; save the sheet as CSV or split it`,
            );
          strings.push(current.trim());
          current = null;
        }
      },
    });
    return strings;
  }

  async *sheet(
    name: string,
    ctx: { strings: string[]; dates: Set<number>; date1904: boolean },
  ): AsyncGenerator<SheetRow> {
    const { columns, cellChars } = this.limits;
    const ready: SheetRow[] = [];
    let rowNo = 0;
    let cells: string[] = [];
    let cell: { col: number; type: string; style: number; text: string } | null = null;
    let nextCol = 0;
    let collecting = false;
    let phonetic = 0;
    let done = false;
    const handlers: Handlers = {
      open(node, tag) {
        if (done) return;
        if (tag === 'row') {
          const rowAttr = attr(node, 'r');
          const rowNumber = rowAttr === undefined ? rowNo + 1 : Number(rowAttr);
          if (!Number.isInteger(rowNumber) || rowNumber <= rowNo || rowNumber > LAST_ROW)
            throw new Error(`${name} has a row numbered "${rowAttr}" after row ${rowNo}`);
          rowNo = rowNumber;
          cells = [];
          nextCol = 0;
        } else if (tag === 'c') {
          const ref = attr(node, 'r');
          const col = ref === undefined ? nextCol : columnIndex(ref);
          if (col < 0) throw new Error(`${name} has a cell with the reference "${ref}"`);
          nextCol = col + 1;
          cell = { col, type: attr(node, 't') ?? 'n', style: Number(attr(node, 's') ?? 0), text: '' };
        } else if (tag === 'rPh') phonetic++;
        else if (cell && phonetic === 0 && (tag === 'v' || tag === 't')) collecting = true;
      },
      text(text) {
        if (!collecting) return;
        cell!.text += text;
        if (cell!.text.length > cellChars)
          throw new ImportLimitError(
            'cell_too_long',
            { name: 'cellChars', max: cellChars },
            `row ${rowNo} has a cell longer than ${cellChars.toLocaleString('en')} characters`,
            { row: rowNo },
          );
      },
      close(tag) {
        if (done) return;
        if (tag === 'v' || tag === 't') collecting = false;
        else if (tag === 'rPh') phonetic--;
        else if (tag === 'c' && cell) {
          const value = cellValue(cell, ctx);
          if (value !== '') {
            // Checked on the reference, before any row is built: one cell in column XFD must not make 16,384.
            if (cell.col >= columns)
              throw new ImportLimitError(
                'too_many_columns',
                { name: 'columns', max: columns },
                `row ${rowNo} has a value in column ${cell.col + 1}; at most ${columns} columns are supported`,
                { row: rowNo },
              );
            cells[cell.col] = value;
          }
          cell = null;
        } else if (tag === 'row') {
          if (cells.length) ready.push({ rowNo, cells: Array.from(cells, (c) => c ?? '') });
        } else if (tag === 'sheetData') done = true;
      },
    };
    for await (const _ of this.parse(name, 'sheetBytes', handlers)) {
      void _;
      while (ready.length) yield ready.shift()!;
      if (done) return;
    }
  }
}
