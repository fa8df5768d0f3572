/**
 * Hostile uploads (issue 14 items 1 and 2): workbooks that inflate to gigabytes, lie about their
 * sizes, or put one cell in column XFD, generated here with the zip library. Each is refused
 * with a problem naming the cap it crossed, nothing of it is stored, the process's memory
 * stays bounded while it is read, and the server goes on answering.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import type { Problem as ProblemOf } from '../../src/contracts/common.ts';
import type { ImportLimitBreach } from '../../src/contracts/imports.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import { IMPORT_LIMITS } from '../../src/modules/imports/limits.ts';
import { columnName } from '../../src/modules/exports/xlsx.ts';
import { declareSize, repeated, workbookParts, zipParts } from '../helpers/xlsx.ts';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const MB = 1024 * 1024;
type Problem = ProblemOf & { limit?: ImportLimitBreach };

const sheet = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${rows}</sheetData></worksheet>`;
const HEADER =
  '<row r="1"><c r="A1" t="inlineStr"><is><t>客户名称</t></is></c><c r="B1" t="inlineStr"><is><t>城市</t></is></c></row>';

/** Shared strings inflating to `bytes` (~1000:1 compressed): the 5 MB file that took the server down, scaled. */
const sharedStringsBomb = (bytes: number) =>
  repeated(
    `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>`,
    `<si><t>${'嘉'.repeat(40)}有限公司</t></si>`,
    '</sst>',
    bytes,
  );

/** The highest RSS of this process (server and its workers) while `fn` runs, above where it started. */
async function peakRssGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; growth: number }> {
  globalThis.gc?.();
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - start };
  } finally {
    clearInterval(timer);
  }
}

for (const engine of testEngines()) {
  describe(`import limits [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let rep: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'lim');
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(() => testApp.close());

    const upload = (body: Buffer | string, fileName = 'attack.xlsx') =>
      rep(
        'POST',
        `/api/v1/imports?kind=accounts&fileName=${fileName}`,
        typeof body === 'string' ? Buffer.from(body) : body,
        { 'content-type': 'application/octet-stream' },
      );
    const storedRows = async (jobId: number) =>
      Number(
        (
          await testApp.db.kysely
            .selectFrom('import_rows')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('job_id', '=', jobId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const lastJob = () =>
      testApp.db.kysely
        .selectFrom('import_jobs')
        .selectAll()
        .where('workspace_id', '=', fixture.workspaceId)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
    const refused = async (res: Awaited<ReturnType<Call>>, code: string, limit: keyof typeof IMPORT_LIMITS) => {
      assert.equal(res.statusCode, 400, res.body.slice(0, 500));
      const problem = json<Problem>(res);
      assert.equal(problem.code, code, res.body);
      assert.equal(problem.errors?.[0]?.field, 'file');
      assert.deepEqual(
        problem.limit,
        { name: limit, max: IMPORT_LIMITS[limit] },
        'the problem names the cap and its value',
      );
      const job = await lastJob();
      assert.equal(job.status, 'failed');
      assert.equal(job.lease_expires_at, null);
      assert.equal((JSON.parse(job.report!) as { failureInfo: { code: string } }).failureInfo.code, code);
      assert.equal(await storedRows(job.id), 0, 'nothing of a refused file is kept');
      // The server goes on answering.
      assert.equal((await rep('GET', '/api/v1/imports')).statusCode, 200);
      return problem;
    };

    it('refuses shared strings declaring more than their cap before inflating them', async () => {
      const file = await zipParts(
        workbookParts(sheet(HEADER), sharedStringsBomb(IMPORT_LIMITS.sharedStringsBytes + 8 * MB)),
      );
      assert.ok(file.length < 1 * MB, `a ${file.length}-byte file`);
      const { result, growth } = await peakRssGrowth(() => upload(file));
      const problem = await refused(result, 'xlsx_part_too_large', 'sharedStringsBytes');
      assert.match(problem.errors![0]!.message, /xl\/sharedStrings\.xml inflates to more than 64 MB/);
      assert.ok(growth < 120 * MB, `RSS grew by ${Math.round(growth / MB)} MB`);
    });

    it('stops inflating an entry that lies about its size, as soon as it passes what it declares', async () => {
      const honest = await zipParts(
        workbookParts(sheet(HEADER), sharedStringsBomb(IMPORT_LIMITS.sharedStringsBytes + 8 * MB)),
      );
      const lying = declareSize(honest, 'xl/sharedStrings.xml', 4096);
      const { result, growth } = await peakRssGrowth(() => upload(lying));
      const problem = await refused(result, 'xlsx_size_mismatch', 'sharedStringsBytes');
      assert.match(problem.errors![0]!.message, /does not inflate to the 4 KB it declares/);
      assert.ok(growth < 120 * MB, `RSS grew by ${Math.round(growth / MB)} MB`);
    });

    it('refuses a value beyond column 200 in any row, not only the header (one cell in XFD made 16,384 per row)', async () => {
      let rows = HEADER;
      for (let row = 2; row <= 3000; row++)
        rows += `<row r="${row}"><c r="A${row}" t="inlineStr"><is><t>公司${row}</t></is></c><c r="XFD${row}"><v>1</v></c></row>`;
      const file = await zipParts(workbookParts(sheet(rows)));
      const problem = await refused(await upload(file), 'too_many_columns', 'columns');
      assert.match(
        problem.errors![0]!.message,
        /^row 2 has a value in column 16384; at most 200 columns are supported/,
      );
      // A styled but empty cell far to the right is not a value: the file is read.
      const styled = await zipParts(
        workbookParts(
          sheet(
            `${HEADER}<row r="2"><c r="A2" t="inlineStr"><is><t>温州样式公司</t></is></c><c r="XFD2" s="1"/></row>`,
          ),
        ),
      );
      const ok = await upload(styled);
      assert.equal(ok.statusCode, 201, ok.body);
      assert.deepEqual(json<{ preview: { cells: string[] }[] }>(ok).preview[0]!.cells, ['温州样式公司']);
    });

    it('checks every CSV row against the column cap, naming the row', async () => {
      const csv = `客户名称,城市\n宁波公司,宁波\n${'x,'.repeat(250)}x\n`;
      const problem = await refused(await upload(csv, 'wide.csv'), 'too_many_columns', 'columns');
      assert.match(problem.errors![0]!.message, /^row 3 has 251 columns/);
    });

    it('caps the stored size of an import: a small workbook repeating one long shared string', async () => {
      // 400 rows × 200 cells pointing at one 1,000-character string: ~80 MB of stored cells from a few KB.
      const cells = (row: number) =>
        Array.from({ length: 200 }, (_, i) => `<c r="${columnName(i)}${row}" t="s"><v>0</v></c>`).join('');
      let rows = HEADER;
      for (let row = 2; row <= 400; row++) rows += `<row r="${row}">${cells(row)}</row>`;
      const sst = `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}><si><t>${'长'.repeat(1000)}</t></si></sst>`;
      const file = await zipParts(workbookParts(sheet(rows), sst));
      const problem = await refused(await upload(file), 'import_too_large', 'storedBytes');
      assert.match(problem.errors![0]!.message, /holds more than 64 MB of cells/);
    });

    it('refuses a cell longer than Excel allows', async () => {
      const problem = await refused(
        await upload(`客户名称,备注\n公司,${'长'.repeat(IMPORT_LIMITS.cellChars + 1)}\n`, 'long.csv'),
        'cell_too_long',
        'cellChars',
      );
      assert.match(problem.errors![0]!.message, /row 2, column 2 is longer than 32,767 characters/);
    });
  });
}
