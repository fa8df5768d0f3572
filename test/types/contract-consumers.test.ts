import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The contract layer's promise (docs/DESIGN.md § Contracts): a field changed in
 * src/contracts/<area>.ts breaks the typecheck of every consumer that is not updated — the
 * server's service, the web app and the tests. Each case compiles the server project and the
 * web project with one contract edited in memory (the files on disk stay as they are) and
 * asserts that the consumers named fail, with the diagnostics pointing at them.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

interface Project {
  program: ts.Program;
  /** Type errors of the files whose path (relative to the root) is given. */
  errorsIn(files: string[]): Map<string, string[]>;
}

function compile(tsconfig: string, edits: Map<string, string>): Project {
  const configPath = path.join(ROOT, tsconfig);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    },
  )!;
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => edits.get(path.resolve(file)) ?? readFile(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, onError, fresh) => {
    const edited = edits.get(path.resolve(file));
    return edited !== undefined ? ts.createSourceFile(file, edited, lang) : getSourceFile(file, lang, onError, fresh);
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  return {
    program,
    errorsIn(files) {
      const out = new Map<string, string[]>();
      for (const rel of files) {
        const sf = program.getSourceFile(path.join(ROOT, rel));
        assert.ok(sf, `${rel} is part of ${tsconfig}`);
        out.set(
          rel,
          program.getSemanticDiagnostics(sf).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')),
        );
      }
      return out;
    },
  };
}

/** The contracts' sources with replacements, each of which must apply exactly once. */
function edited(changes: [contract: string, from: string, to: string][]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [contract, from, to] of changes) {
    const file = path.join(ROOT, contract);
    const source = out.get(file) ?? fs.readFileSync(file, 'utf8');
    assert.equal(source.split(from).length, 2, `${contract} contains ${JSON.stringify(from)} exactly once`);
    out.set(file, source.replace(from, to));
  }
  return out;
}

function assertBreaks(project: Project, files: string[], mentions: RegExp) {
  for (const [file, errors] of project.errorsIn(files)) {
    assert.ok(
      errors.some((e) => mentions.test(e)),
      `${file} fails to compile against the changed contract (got: ${errors.join(' | ') || 'no errors'})`,
    );
  }
}

// Three edits at once, so each project is compiled once (a compile takes seconds):
// a response field renamed, a response field's type changed, a required request field added.
const edits = edited([
  ['src/contracts/users.ts', '  orgUnitLabel: z\n    .string()', '  orgUnitCaption: z\n    .string()'],
  [
    'src/contracts/sales-processes.ts',
    "  probability: z.number().int().describe('win probability, percent'),\n  purpose",
    "  probability: z.string().describe('win probability, percent'),\n  purpose",
  ],
  [
    'src/contracts/org.ts',
    '  type: z.enum(ORG_UNIT_TYPES),\n  sortOrder: sortOrder.optional().describe',
    '  type: z.enum(ORG_UNIT_TYPES),\n  unitCode: z.string(),\n  sortOrder: sortOrder.optional().describe',
  ],
  ['src/contracts/pool.ts', '  daysInPool: z.number().int(),', '  daysInSharedPool: z.number().int(),'],
]);

describe('contracts: a changed field breaks its consumers', () => {
  it('the server: the services that build the changed responses, and the tests that read them', () => {
    const server = compile('tsconfig.json', edits);
    assertBreaks(server, ['src/modules/users/service.ts'], /orgUnitLabel.*does not exist|orgUnitCaption/);
    assertBreaks(server, ['src/modules/sales-processes/service.ts'], /'number' is not assignable to type 'string'/);
    assertBreaks(server, ['test/api/users-listing.test.ts'], /orgUnitLabel/);
    assertBreaks(server, ['src/modules/pool/service.ts', 'test/api/pool.test.ts'], /daysInPool|daysInSharedPool/);
  });

  it('the web app: the screens that read the changed fields and send the changed request', () => {
    const web = compile('web/tsconfig.json', edits);
    assertBreaks(
      web,
      [
        'web/src/app/shell/UserMenu.tsx',
        'web/src/features/territories/api.ts',
        'web/src/features/handover/HandoverItems.tsx',
      ],
      /orgUnitLabel/,
    );
    assertBreaks(web, ['web/src/features/processes/StageList.tsx'], /'string'.*'number'|'number'.*'string'/);
    assertBreaks(web, ['web/src/features/org/UnitFormModal.tsx'], /unitCode/);
  });
});
