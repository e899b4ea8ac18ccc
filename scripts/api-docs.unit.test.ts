// The standard "public API has TSDoc with an example" held only by review, and an audit once found 173
// exported values without an example. This walks every entry point each package exports (re-exports and
// `export * as` namespaces followed) with the compiler API and checks the doc block above each one.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = [
  'core',
  'migrations',
  'kpi',
  'sql',
  'adapters-mysql',
  'adapters-sqlite',
  'adapters-postgres',
];

interface Entry {
  readonly name: string;
  readonly file: string;
}

/** Each package's entry points, by their source condition (what the packages' own tests import). */
function entries(): Entry[] {
  return PACKAGES.flatMap((pkg) => {
    const dir = join(root, 'packages', pkg);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>;
    };
    return Object.entries(manifest.exports).flatMap(([path, target]) => {
      const source = typeof target === 'object' ? target['@pet-ops/source'] : undefined;
      return source === undefined
        ? []
        : [{ name: `@pet-ops/${pkg}${path.slice(1)}`, file: join(dir, source) }];
    });
  });
}

interface Doc {
  readonly symbol: string;
  readonly kind: 'value' | 'type';
  readonly at: string;
  readonly doc: string | null;
}

/** The JSDoc block nearest above a declaration (a `const`'s sits on its statement). */
function docOf(decl: ts.Declaration): string | null {
  const host = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
  const blocks = (host as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const last = blocks?.[blocks.length - 1];
  return last === undefined ? null : last.getText();
}

function collect(): Doc[] {
  const list = entries();
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  const program = ts.createProgram(
    list.map((e) => e.file),
    { ...config?.options, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const out: Doc[] = [];
  const walk = (module: ts.Symbol, prefix: string): void => {
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = `${prefix}${exported.getName()}`;
      const decls = symbol.declarations ?? [];
      const namespace = decls.find(ts.isSourceFile);
      if (namespace !== undefined) {
        // `export * as X from …`: its doc sits on the export statement.
        const stmt = exported.declarations?.[0]?.parent;
        const at = stmt === undefined ? namespace.fileName : where(stmt);
        out.push({
          symbol: name,
          kind: 'value',
          at,
          doc: stmt === undefined ? null : docOf(stmt as ts.Declaration),
        });
        walk(symbol, `${name}.`);
        continue;
      }
      // One record per symbol: the first declaration (an overloaded function documents its first signature).
      const decl = decls[0];
      if (decl === undefined) continue;
      const isType = ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl);
      out.push({ symbol: name, kind: isType ? 'type' : 'value', at: where(decl), doc: docOf(decl) });
    }
  };
  for (const e of list) {
    const source = program.getSourceFile(e.file);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`cannot read entry point ${e.name} (${e.file})`);
    walk(module, `${e.name}: `);
  }
  return out;
}

function where(node: ts.Node): string {
  const file = node.getSourceFile();
  return `${relative(root, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
}

describe('public API documentation', () => {
  const docs = collect();

  test('the walk reaches every package and its namespaces', () => {
    for (const pkg of PACKAGES) expect(docs.some((d) => d.symbol.startsWith(`@pet-ops/${pkg}: `))).toBe(true);
    expect(docs.some((d) => d.symbol.startsWith('@pet-ops/core: Commercial.'))).toBe(true);
    expect(docs.length).toBeGreaterThan(800);
  });

  test('every exported symbol has a TSDoc block', () => {
    expect(docs.filter((d) => d.doc === null).map((d) => `${d.symbol} (${d.at})`)).toEqual([]);
  });

  test('every exported value (function, class, constant, namespace) shows an @example', () => {
    const missing = docs.filter((d) => d.kind === 'value' && d.doc !== null && !/@example\b/.test(d.doc));
    expect(missing.map((d) => `${d.symbol} (${d.at})`)).toEqual([]);
  });
});
