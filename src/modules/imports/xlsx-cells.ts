/**
 * What a worksheet cell's XML says as text (xlsx-reader.ts reads the parts): a cell reference's
 * column, whether a number format shows a date, and a cell's value by its type and style.
 */

/** "A1" → 0, "XFD7" → 16383; -1 when it is not a cell reference. */
export function columnIndex(ref: string): number {
  let col = 0;
  let index = 0;
  for (; index < ref.length && index < 4; index++) {
    const charCode = ref.charCodeAt(index) | 0x20;
    if (charCode < 0x61 || charCode > 0x7a) break;
    col = col * 26 + (charCode - 0x60);
  }
  return index === 0 || index > 3 ? -1 : col - 1;
}

// Built-in number formats that show dates or times (ECMA-376 §18.8.30, with the CJK ones).
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56,
  57, 58,
]);

export function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return DATE_FORMAT_IDS.has(id);
  // Quoted text, [colour]/[$-locale] sections and escaped characters are not date tokens.
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\.|_.|\*./g, '')
    .replace(/General/gi, '');
  return /[dmyhs]/i.test(bare);
}

export function cellValue(
  cell: { type: string; style: number; text: string },
  ctx: { strings: string[]; dates: Set<number>; date1904: boolean },
): string {
  const text = cell.text;
  switch (cell.type) {
    case 's':
      return ctx.strings[Number(text)] ?? '';
    case 'inlineStr':
    case 'str':
      return text.trim();
    case 'b':
      return text === '1' ? 'true' : text === '0' ? 'false' : '';
    case 'e':
      return '';
    case 'd':
      return text.trim().slice(0, 10);
    default: {
      if (text.trim() === '') return '';
      const numeric = Number(text);
      if (!Number.isFinite(numeric)) return text.trim();
      if (!ctx.dates.has(cell.style)) return String(numeric);
      // Excel's serial day (1900 system; 1904 when the workbook says so), as exceljs read it.
      const date = new Date(Math.round((numeric - 25569 + (ctx.date1904 ? 1462 : 0)) * 86_400_000));
      return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
    }
  }
}
