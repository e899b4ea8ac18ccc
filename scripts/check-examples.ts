// Type-checks the fenced `ts` code of every public `@example` (issue 28: the examples were never compiled,
// and some named functions that no longer existed). Each example becomes the body of an async function in
// a virtual file that imports every value its package (and core, sql, kpi) exports by name, so a renamed
// export, a wrong argument shape or a misspelt property of the real API fails here. Free variables an
// example takes for granted (`db`, `uow`, `actor`, …) are declared `any` (values and types), found by
// the compiler itself; nothing else is relaxed.
//
//   node --import tsx scripts/check-examples.ts          prints every example that does not compile
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

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
/** Packages whose names every example may use unqualified, after its own package's. */
const SHARED = ['core', 'sql', 'kpi', 'migrations', 'adapters-sqlite'];

/** One fenced example: the package whose names it sees, the symbol it documents, where, and its code. */
export interface Example {
  readonly pkg: string;
  /** The module of the namespace the symbol belongs to (`Identity.…` → its index), whose names it sees unqualified. */
  readonly namespaceModule?: string;
  readonly symbol: string;
  readonly at: string;
  readonly code: string;
}

function entryOf(pkg: string): string | undefined {
  const dir = join(root, 'packages', pkg);
  if (!existsSync(join(dir, 'package.json'))) return undefined;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports: Record<string, string | Record<string, string>>;
  };
  const main = manifest.exports['.'];
  const source = typeof main === 'object' ? main['@pet-ops/source'] : undefined;
  return source === undefined ? undefined : join(dir, source);
}

/** Whether a package depends on kysely (the seam and its adapters do). */
function hasKysely(pkg: string): boolean {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  return (
    manifest.dependencies?.['kysely'] !== undefined || manifest.peerDependencies?.['kysely'] !== undefined
  );
}

const FENCE = /```(?:ts|typescript)\n([\s\S]*?)```/g;

/** The fenced code of a doc block's @example tags, with the JSDoc ` * ` margins removed. */
function fencedExamples(doc: string): string[] {
  const text = doc
    .split('\n')
    .map((l) => l.replace(/^\s*\/?\*+\/?\s?/, ''))
    .join('\n');
  const at = text.indexOf('@example');
  if (at < 0) return [];
  return [...text.slice(at).matchAll(FENCE)].map((m) => m[1] ?? '');
}

function docOf(decl: ts.Node): string | null {
  const host = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
  const blocks = (host as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const last = blocks?.[blocks.length - 1];
  return last === undefined ? null : last.getText();
}

function loadConfig(): ts.CompilerOptions {
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
  if (config === undefined) throw new Error('cannot read tsconfig.json');
  // Examples import the packages by name from anywhere: map each name to its source entry.
  const paths: Record<string, string[]> = {};
  for (const pkg of [...PACKAGES, 'cli']) {
    const entry = entryOf(pkg);
    if (entry !== undefined) paths[`@pet-ops/${pkg}`] = [entry];
  }
  return {
    ...config.options,
    baseUrl: root,
    paths,
    noEmit: true,
    // Free variables are `any`, so callbacks given to them have untyped parameters.
    noImplicitAny: false,
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
}

/** Every exported value of each package (top level) and every fenced example of the exported symbols. */
function collect(options: ts.CompilerOptions): {
  readonly names: ReadonlyMap<string, readonly string[]>;
  readonly namespaceNames: ReadonlyMap<string, readonly string[]>;
  readonly examples: readonly Example[];
} {
  const entries = PACKAGES.map((pkg) => [pkg, entryOf(pkg)] as const).filter(
    (e): e is readonly [string, string] => e[1] !== undefined,
  );
  const program = ts.createProgram(
    entries.map(([, f]) => f),
    options,
  );
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  const namespaceNames = new Map<string, readonly string[]>();
  const examples: Example[] = [];
  const seen = new Set<ts.Node>();
  for (const [pkg, file] of entries) {
    const source = program.getSourceFile(file);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`cannot read the entry of ${pkg}`);
    const own: string[] = [];
    const walk = (m: ts.Symbol, prefix: string, namespaceModule?: string): void => {
      for (const exported of checker.getExportsOfModule(m)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        if (prefix === '') {
          own.push(symbol.flags & ts.SymbolFlags.Value ? exported.getName() : `type ${exported.getName()}`);
        }
        for (const decl of symbol.declarations ?? []) {
          if (ts.isSourceFile(decl)) {
            namespaceNames.set(
              decl.fileName,
              checker.getExportsOfModule(symbol).map((e) => {
                const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
                return target.flags & ts.SymbolFlags.Value ? e.getName() : `type ${e.getName()}`;
              }),
            );
            // `export * as X from …`: the namespace's guided example sits on the export statement.
            const statement = exported.declarations?.[0]?.parent;
            const nsDoc = statement === undefined ? null : docOf(statement);
            if (nsDoc !== null && statement !== undefined) {
              const file = statement.getSourceFile();
              const at = `${relative(root, file.fileName)}:${file.getLineAndCharacterOfPosition(statement.getStart(file)).line + 1}`;
              for (const code of fencedExamples(nsDoc)) {
                examples.push({ pkg, symbol: `${prefix}${exported.getName()}`, at, code });
              }
            }
            walk(symbol, `${prefix}${exported.getName()}.`, decl.fileName);
            continue;
          }
          if (seen.has(decl)) continue;
          seen.add(decl);
          const doc = docOf(decl);
          if (doc === null) continue;
          const file = decl.getSourceFile();
          const at = `${relative(root, file.fileName)}:${file.getLineAndCharacterOfPosition(decl.getStart(file)).line + 1}`;
          for (const code of fencedExamples(doc)) {
            examples.push({
              pkg,
              symbol: `${prefix}${exported.getName()}`,
              at,
              code,
              ...(namespaceModule === undefined ? {} : { namespaceModule }),
            });
          }
        }
      }
    };
    walk(module, '');
    names.set(pkg, own);
  }
  return { names, namespaceNames, examples };
}

/** The import lines an example of `pkg` gets: its own package's names first, then the shared ones. */
function importsFor(
  pkg: string,
  names: ReadonlyMap<string, readonly string[]>,
  exclude: ReadonlySet<string | undefined>,
): string {
  const taken = new Set<string>([...exclude].filter((n): n is string => n !== undefined));
  const lines: string[] = [];
  for (const p of [pkg, ...SHARED.filter((s) => s !== pkg)]) {
    const list = (names.get(p) ?? []).filter((n) => !taken.has(n.replace(/^type /, '')));
    for (const n of list) taken.add(n.replace(/^type /, ''));
    if (list.length > 0) lines.push(`import { ${list.join(', ')} } from '@pet-ops/${p}';`);
  }
  return lines.join('\n');
}

const FREE_NAME = new Set([2304, 2582, 18004]); // cannot find name (plain, `require`-like, shorthand)
/**
 * Free names that look like the library's own API (factories and workflows) are not assumed: a renamed
 * or removed export fails instead of turning into `any`. So does a near miss ("did you mean …", 2552).
 */
const API_LIKE = /^(create|define|open|new|migrate|assert|import|evaluate|change|allocate|load)[A-Z]/;

/**
 * Compiles every public example (and `extra` ones, for the checker's own test); returns the total and
 * the ones that do not compile, each with its place and first errors.
 */
export function checkExamples(extra: readonly Example[] = []): {
  readonly total: number;
  readonly failures: readonly string[];
} {
  const options = loadConfig();
  const collected = collect(options);
  const { names, namespaceNames } = collected;
  const examples = [...collected.examples, ...extra];
  // Virtual files inside each package, so its dependencies (kysely, zod, mysql2 …) resolve as they do
  // for the package itself.
  const files = new Map<string, { example: Example; free: Set<string> }>();
  examples.forEach((example, i) => {
    const dir = join(root, 'packages', example.pkg, '.examples');
    files.set(join(dir, `example-${i}.ts`), { example, free: new Set() });
  });
  const textOf = (file: string): string => {
    const f = files.get(file);
    if (f === undefined) return '';
    const declared = [...f.free].map((n) => `declare let ${n}: any;\ntype ${n} = any;`).join('\n');
    // An example's own imports go to the top (their names then shadow nothing: they are the same names).
    const lines = f.example.code.split('\n');
    const own = lines.filter((l) => /^import\s/.test(l));
    const body = lines
      .filter((l) => !/^import\s/.test(l))
      .map((l) => l.replace(/^export\s+(?=(const|function|async|class|interface|type|let)\b)/, ''))
      .join('\n');
    const ownNames = new Set(own.flatMap((l) => [...l.matchAll(/\b([A-Za-z_$][\w$]*)\b/g)].map((m) => m[1])));
    const nsModule = f.example.namespaceModule;
    const nsList =
      nsModule === undefined
        ? []
        : (namespaceNames.get(nsModule) ?? []).filter((n) => !ownNames.has(n.replace(/^type /, '')));
    const nsLine =
      nsList.length === 0
        ? ''
        : `import { ${nsList.join(', ')} } from '${nsModule!.replace(/\.ts$/, '.js')}';`;
    const shared = importsFor(
      f.example.pkg,
      names,
      new Set([...ownNames, ...nsList.map((n) => n.replace(/^type /, ''))]),
    );
    // Kysely is the seam's query layer (a peer of every adapter): its two names are always at hand.
    const kysely = hasKysely(f.example.pkg) ? ['Kysely', 'sql'].filter((n) => !ownNames.has(n)) : [];
    const kyselyLine = kysely.length === 0 ? '' : `import { ${kysely.join(', ')} } from 'kysely';`;
    return `${own.join('\n')}\n${nsLine}\n${kyselyLine}\n${shared}\n${declared}\nexport async function example() {\n${body}\n}\n`;
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => (files.has(f) ? textOf(f) : readFile(f));
  host.fileExists = (f) => files.has(f) || fileExists(f);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, v, onError, create) =>
    files.has(f) ? ts.createSourceFile(f, textOf(f), v, true) : getSourceFile(f, v, onError, create);

  let diagnostics: readonly ts.Diagnostic[] = [];
  for (let round = 0; round < 4; round++) {
    const program = ts.createProgram([...files.keys()], options, host);
    diagnostics = [...files.keys()].flatMap((f) => {
      const sf = program.getSourceFile(f);
      return sf === undefined
        ? []
        : [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    });
    let added = 0;
    for (const d of diagnostics) {
      if (!FREE_NAME.has(d.code) || d.file === undefined || d.start === undefined) continue;
      const name = /'([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))?.[1];
      const f = files.get(d.file.fileName);
      // Called like a factory or workflow of the library: a missing export, not a free variable.
      const called = /^\s*[(<]/.test(d.file.text.slice(d.start + (name?.length ?? 0)));
      if (name !== undefined && f !== undefined && !f.free.has(name) && !(called && API_LIKE.test(name))) {
        f.free.add(name);
        added++;
      }
    }
    if (added === 0) break;
  }
  const byFile = new Map<string, string[]>();
  for (const d of diagnostics) {
    if (d.file === undefined || !files.has(d.file.fileName)) continue;
    const list = byFile.get(d.file.fileName) ?? [];
    list.push(ts.flattenDiagnosticMessageText(d.messageText, ' '));
    byFile.set(d.file.fileName, list);
  }
  const failures = [...byFile].map(([file, errors]) => {
    const { example } = files.get(file)!;
    return `${example.at} (${example.symbol}): ${errors.slice(0, 2).join(' | ')}`;
  });
  return { total: examples.length, failures };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { total, failures } = checkExamples();
  for (const f of failures) console.log(f);
  console.log(`${total - failures.length} of ${total} @example blocks compile`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}
