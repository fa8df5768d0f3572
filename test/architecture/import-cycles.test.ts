import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs, { globSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * No import cycles (ARCHITECTURE.md "data flows one way"): a cycle makes the load order
 * decide which binding is still undefined, and ties two areas so neither changes alone.
 * Counted are the imports that load a module at run time — `import type` and `export type`
 * are erased and do not count; `import { type X }` does (it still loads the module).
 */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const statement of source.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) spec = statement.moduleSpecifier;
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) spec = statement.moduleSpecifier;
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.'))
      out.push(path.normalize(path.join(path.dirname(file), spec.text)));
  }
  return out;
}

export function importCycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [path.normalize(f), runtimeImports(f).filter((d) => files.includes(d))]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const dependency of graph.get(file) ?? []) {
      if (state.get(dependency) === 'open') cycles.push([...stack.slice(stack.indexOf(dependency)), dependency]);
      else if (!state.has(dependency)) visit(dependency);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('architecture: import cycles', () => {
  it('finds a cycle when there is one', () => {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'cycles-'));
    fs.writeFileSync(
      path.join(dir, 'a.ts'),
      "import { b } from './b.ts';\nimport type { C } from './c.ts';\nexport const a = b;\n",
    );
    fs.writeFileSync(
      path.join(dir, 'b.ts'),
      "import { a } from './a.ts';\nexport const b = 1;\nexport const c = () => a;\n",
    );
    fs.writeFileSync(path.join(dir, 'c.ts'), "import type { a } from './a.ts';\nexport type C = typeof a;\n");
    const found = importCycles(globSync(`${dir}/*.ts`).map((f) => path.normalize(f)));
    fs.rmSync(dir, { recursive: true });
    assert.deepEqual(
      found.map((c) => c.map((f) => path.basename(f))),
      [['a.ts', 'b.ts', 'a.ts']],
    );
  });

  it('has none in the server or the web app', () => {
    const files = [...globSync('src/**/*.ts'), ...globSync('web/src/**/*.{ts,tsx}')].map((f) => path.normalize(f));
    assert.ok(files.length > 100);
    assert.deepEqual(
      importCycles(files).map((c) => c.join(' -> ')),
      [],
    );
  });
});
