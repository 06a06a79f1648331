/**
 * The shape of a context (STYLE.md, "A context's shape"; CONTRIBUTING.md), enforced. Each rule is
 * a pure function over a file's path and source text, so each is tested on a bad snippet first
 * (it cannot pass by flagging nothing), then run over the production code of apps/, libs/ and
 * projections/ (not specs, not test/ or bench/). A failure lists every offending file:line.
 *
 * 1. No deep import of another context: only `@app/<ctx>` (its barrel) and `@app/<ctx>/contract`;
 *    no relative path into another context's folders; projections import only core, event-store
 *    types, contracts and their own context's projection files; `@app/projections/<ctx>/…` only
 *    from libs/<ctx>; core and the event store import no context.
 * 2. A read model's tables are named only in its folder (projections/<ctx>/<read-model>/).
 * 3. Pure domain (domain/ and contract/ of a context) imports only `@app/core/domain` and itself.
 * 4. Every context is defined in libs/<ctx>/src/<ctx>.context.ts and listed in apps/contexts.ts,
 *    the only place in apps/ that names contexts (with an allow-list below).
 * 5. The path aliases of .swcrc and tsconfig.json are the same, and name no context.
 * 6. A context's barrel (libs/<ctx>/src/index.ts) publishes only its contract, its definition, its
 *    read models' projections and queries, and an allow-listed few (identity's guard).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..');

interface Violation {
  file: string;
  line: number;
  message: string;
}

interface ImportRef {
  specifier: string;
  line: number;
  /** `import type`, `export type`, every named binding `type`, or `import('x')` in a type. */
  typeOnly: boolean;
  /** Imported names (the exported names, `default`, or `*`); empty for a side-effect import or a require. */
  names: string[];
}

// ---------------------------------------------------------------------------------------------
// Reading sources

function parse(path: string, source: string): ts.SourceFile {
  return ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function lineOf(file: ts.SourceFile, node: ts.Node): number {
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

/** Every module a file names: imports, re-exports, `import x = require()`, `require()`, `import()`, `import('x').T`. */
export function importsOf(path: string, source: string): ImportRef[] {
  const file = parse(path, source);
  const refs: ImportRef[] = [];
  const add = (node: ts.Node, specifier: ts.Expression | undefined, typeOnly: boolean, names: string[]) => {
    if (specifier && ts.isStringLiteralLike(specifier)) refs.push({ specifier: specifier.text, line: lineOf(file, node), typeOnly, names });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const names: string[] = [];
      let everyNameIsType = true;
      if (clause?.name) {
        names.push('default');
        everyNameIsType = false;
      }
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) {
        names.push('*');
        everyNameIsType = false;
      } else if (bindings) {
        for (const element of bindings.elements) {
          names.push((element.propertyName ?? element.name).text);
          if (!element.isTypeOnly) everyNameIsType = false;
        }
      }
      add(node, node.moduleSpecifier, !!clause && (clause.isTypeOnly || (names.length > 0 && everyNameIsType)), names);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const clause = node.exportClause;
      const elements = clause && ts.isNamedExports(clause) ? clause.elements : undefined;
      const names = elements ? elements.map((e) => (e.propertyName ?? e.name).text) : ['*'];
      const typeOnly = node.isTypeOnly || (!!elements && elements.length > 0 && elements.every((e) => e.isTypeOnly));
      add(node, node.moduleSpecifier, typeOnly, names);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly, ['*']);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        add(node, node.arguments[0], false, []);
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true, []);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return refs;
}

function isRelative(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/** The repository path a relative specifier points at (without extension). */
function resolveRelative(from: string, specifier: string): string {
  return posix.normalize(posix.join(posix.dirname(from), specifier));
}

function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/** The context whose folders (libs/<ctx>/, projections/<ctx>/) hold `path`, if any. */
function ownerOf(path: string, contexts: readonly string[]): string | undefined {
  const match = /^(?:libs|projections)\/([^/]+)(?:\/|$)/.exec(path);
  return match && contexts.includes(match[1]) ? match[1] : undefined;
}

/** `@app/<first>/<rest>` split, for an `@app/` alias. */
function alias(specifier: string): { first: string; rest: string } | undefined {
  const match = /^@app\/([^/]+)(?:\/(.*))?$/.exec(specifier);
  return match ? { first: match[1], rest: match[2] ?? '' } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Rule 1: no deep import of another context

/** What a file of projections/<ctx>/ may import, besides relative files inside projections/<ctx>/. */
function projectionMayImport(ref: ImportRef, contexts: readonly string[]): boolean {
  if (ref.specifier === '@app/core' || ref.specifier.startsWith('@app/core/')) return true;
  if (ref.specifier === '@app/eventstore') return ref.typeOnly;
  const target = alias(ref.specifier);
  return !!target && contexts.includes(target.first) && target.rest === 'contract';
}

export function deepImports(path: string, source: string, contexts: readonly string[]): Violation[] {
  const violations: Violation[] = [];
  const owner = ownerOf(path, contexts);
  const projectionContext = /^projections\/([^/]+)\//.exec(path)?.[1];
  for (const ref of importsOf(path, source)) {
    const flag = (message: string) => violations.push({ file: path, line: ref.line, message: `'${ref.specifier}': ${message}` });
    const target = alias(ref.specifier);
    if (target && contexts.includes(target.first) && /^libs\/(core|eventstore)\//.test(path)) {
      flag('core and the event store sit below the contexts and import none of them');
      continue;
    }
    if (target && contexts.includes(target.first) && target.rest !== '' && target.rest !== 'contract') {
      flag(`deep import of context ${target.first}; import its barrel @app/${target.first} or @app/${target.first}/contract`);
      continue;
    }
    if (target?.first === 'projections') {
      const readModelContext = target.rest.split('/')[0];
      if (!path.startsWith(`libs/${readModelContext}/`)) {
        flag(`read models of ${readModelContext} are used only by libs/${readModelContext}; others use what @app/${readModelContext} exports`);
        continue;
      }
    }
    if (isRelative(ref.specifier)) {
      const resolved = resolveRelative(path, ref.specifier);
      const into = ownerOf(resolved, contexts);
      if (into && into !== owner) {
        flag(`relative import into context ${into}'s folders; import @app/${into} or @app/${into}/contract`);
        continue;
      }
    }
    if (projectionContext) {
      const inside = isRelative(ref.specifier) && isInside(resolveRelative(path, ref.specifier), `projections/${projectionContext}`);
      if (!inside && !projectionMayImport(ref, contexts)) {
        flag(`a projection imports only @app/core, @app/core/*, types of @app/eventstore, @app/<ctx>/contract and files of projections/${projectionContext}/`);
      }
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Rule 2: a read model's tables are named only in its folder

/** Calls whose first argument, a string starting with a table's name, names that table as SQL. */
const TABLE_CALLS = new Set([
  'knex', 'trx', 'tx', 'db', 'table', 'from', 'into', 'update',
  'join', 'innerJoin', 'leftJoin', 'leftOuterJoin', 'rightJoin', 'rightOuterJoin', 'fullOuterJoin', 'crossJoin',
  'hasTable', 'createTable', 'alterTable', 'dropTable', 'dropTableIfExists', 'renameTable',
]);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function calleeName(callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** The literal text pieces of a string or template literal (a template's parts between `${}`). */
function literalTexts(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
  return [];
}

/**
 * Where `path` names one of `tables` (table → the folder of the read model that owns it) as SQL,
 * outside that folder: `knex('t')`, `trx<Row>('t as x')`, `.join('t', …)`, … or `from t` /
 * `join "t"` / `into t` / `update t` inside a string or template literal. Comments, decorators
 * (`@Controller('users')`) and other strings are not SQL.
 */
export function tableUses(path: string, source: string, tables: ReadonlyMap<string, string>): Violation[] {
  const named = [...tables.keys()].filter((table) => !isInside(path, tables.get(table)!));
  if (named.length === 0) return [];
  const file = parse(path, source);
  const found = new Map<string, Violation>();
  const flag = (node: ts.Node, table: string, how: string) => {
    const line = lineOf(file, node);
    const message = `names table ${table} (${how}); only ${tables.get(table)}/ does: read it through its queries`;
    found.set(`${line}:${table}`, { file: path, line, message });
  };
  const patterns = named.map((table) => ({
    table,
    call: new RegExp(`^\\s*"?${escapeRegExp(table)}\\b`),
    sql: new RegExp(`\\b(from|join|into|update)\\s+"?${escapeRegExp(table)}\\b`, 'i'),
  }));
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      const first = node.arguments[0];
      if (name && TABLE_CALLS.has(name) && first) {
        for (const text of literalTexts(first).slice(0, 1)) {
          for (const { table, call } of patterns) if (call.test(text)) flag(first, table, `${name}('${table}')`);
        }
      }
    }
    for (const text of literalTexts(node)) {
      for (const { table, sql } of patterns) {
        const match = sql.exec(text);
        if (match) flag(node, table, `SQL "${match[0]}"`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...found.values()];
}

interface ProjectionLike {
  name: string;
  tables: Record<string, unknown>;
}

/**
 * The folder of each projection of each context, from the `*.projection.ts` module that exports
 * it (compared by identity): it must be projections/<ctx>/<read-model>/<read-model>.projection.ts.
 */
export function readModelFolders(
  contexts: readonly { name: string; projections: readonly ProjectionLike[] }[],
  modules: ReadonlyMap<string, Record<string, unknown>>,
): { tables: Map<string, string>; violations: Violation[] } {
  const tables = new Map<string, string>();
  const violations: Violation[] = [];
  for (const context of contexts) {
    for (const projection of context.projections) {
      const files = [...modules].filter(([, exports]) => Object.values(exports).includes(projection)).map(([file]) => file);
      const file = files.find((f) => /^projections\/[^/]+\/([^/]+)\/\1\.projection\.ts$/.test(f) && f.startsWith(`projections/${context.name}/`));
      if (!file) {
        const where = files.length > 0 ? `it is exported by ${files.join(', ')}` : 'no projections/**/*.projection.ts exports it';
        violations.push({
          file: files[0] ?? `projections/${context.name}`,
          line: 1,
          message: `projection ${projection.name} of context ${context.name}: ${where}; a read model lives in projections/${context.name}/<read-model>/<read-model>.projection.ts`,
        });
        continue;
      }
      for (const table of Object.keys(projection.tables)) tables.set(table, posix.dirname(file));
    }
  }
  return { tables, violations };
}

// ---------------------------------------------------------------------------------------------
// Rule 3: pure domain imports only @app/core/domain

/** A file of libs/<ctx>/src/domain/ or libs/<ctx>/src/contract/: the context's pure domain, with its context. */
function domainContextOf(path: string, contexts: readonly string[]): string | undefined {
  const match = /^libs\/([^/]+)\/src\/(?:domain|contract)\//.exec(path);
  return match && contexts.includes(match[1]) ? match[1] : undefined;
}

export function domainImports(path: string, source: string, contexts: readonly string[]): Violation[] {
  const context = domainContextOf(path, contexts);
  if (!context) return [];
  const own = [`libs/${context}/src/domain`, `libs/${context}/src/contract`];
  return importsOf(path, source)
    .filter((ref) => {
      if (ref.specifier === '@app/core/domain') return false;
      return !(isRelative(ref.specifier) && own.some((folder) => isInside(resolveRelative(path, ref.specifier), folder)));
    })
    .map((ref) => ({
      file: path,
      line: ref.line,
      message: `'${ref.specifier}': pure domain imports only @app/core/domain and files of ${context}'s domain/ and contract/ (type imports too)`,
    }));
}

// ---------------------------------------------------------------------------------------------
// Rule 4: every context defined once and listed in apps/contexts.ts

/**
 * apps/ names a context only in apps/contexts.ts; these imports are the exceptions, each for a
 * reason. `names: '*'` allows any name from that module.
 */
const APPS_CONTEXT_IMPORTS: readonly { file: RegExp; specifier: string; names: readonly string[] | '*'; why: string }[] = [
  {
    file: /^apps\/api\/operations\/[^/]+\.controller\.ts$/,
    specifier: '@app/identity',
    names: ['Authorize', 'Authenticator'],
    why: 'operations endpoints are guarded by identity (admins only), like any context endpoint',
  },
];

/** An import of a context's barrel (or contract) from apps/ outside apps/contexts.ts, not allow-listed. */
export function contextImportsInApps(path: string, source: string, contexts: readonly string[]): Violation[] {
  if (!path.startsWith('apps/') || path === 'apps/contexts.ts') return [];
  const violations: Violation[] = [];
  for (const ref of importsOf(path, source)) {
    const target = alias(ref.specifier);
    const relativeTarget = isRelative(ref.specifier) ? ownerOf(resolveRelative(path, ref.specifier), contexts) : undefined;
    if (!(target && contexts.includes(target.first)) && !relativeTarget) continue;
    const allowance = APPS_CONTEXT_IMPORTS.find((a) => a.file.test(path) && a.specifier === ref.specifier);
    const unexpected = allowance ? (allowance.names === '*' ? [] : ref.names.filter((n) => !allowance.names.includes(n))) : ref.names;
    if (allowance && unexpected.length === 0 && (allowance.names === '*' || ref.names.length > 0)) continue;
    violations.push({
      file: path,
      line: ref.line,
      message: `'${ref.specifier}'${unexpected.length ? ` (${unexpected.join(', ')})` : ''}: apps/ reaches contexts only through apps/contexts.ts (allow-list in test/architecture.spec.ts)`,
    });
  }
  return violations;
}

/** The app modules take their module lists from `contexts`: they import apps/contexts.ts. */
export function moduleListFromContexts(path: string, source: string): Violation[] {
  const imported = importsOf(path, source).some((ref) => isRelative(ref.specifier) && resolveRelative(path, ref.specifier) === 'apps/contexts');
  return imported ? [] : [{ file: path, line: 1, message: 'builds its module list by hand; take it from `contexts` (apps/contexts.ts)' }];
}

/**
 * Every folder of libs/ but core and eventstore has `<ctx>.context.ts`, and every context it
 * exports (a value with a string `name` and a `projections` array) is in `listed` (by identity).
 */
export function unlistedContexts(
  contextFolders: readonly string[],
  contextModules: ReadonlyMap<string, Record<string, unknown> | undefined>,
  listed: readonly unknown[],
): Violation[] {
  const violations: Violation[] = [];
  for (const context of contextFolders) {
    const file = `libs/${context}/src/${context}.context.ts`;
    const exports = contextModules.get(context);
    if (!exports) {
      violations.push({ file: `libs/${context}/src`, line: 1, message: `no ${context}.context.ts defining the context` });
      continue;
    }
    const definitions = Object.entries(exports).filter(
      ([, value]) => typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string' && Array.isArray((value as { projections?: unknown }).projections),
    );
    if (definitions.length === 0) violations.push({ file, line: 1, message: 'exports no context (defineContext)' });
    for (const [name, value] of definitions) {
      if (!listed.includes(value)) violations.push({ file, line: 1, message: `${name} is not listed in apps/contexts.ts` });
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Rule 5: one set of path aliases

/** The two alias maps are equal, and name no context (wildcards only, so a new context edits neither). */
export function aliasDifferences(
  tsconfigPaths: Record<string, string[]>,
  swcPaths: Record<string, string[]>,
  contexts: readonly string[],
): Violation[] {
  const violations: Violation[] = [];
  const keys = [...new Set([...Object.keys(tsconfigPaths), ...Object.keys(swcPaths)])].sort();
  for (const key of keys) {
    const a = JSON.stringify(tsconfigPaths[key] ?? null);
    const b = JSON.stringify(swcPaths[key] ?? null);
    if (a !== b) violations.push({ file: '.swcrc', line: 1, message: `alias ${key}: tsconfig.json says ${a}, .swcrc says ${b}` });
    const target = alias(key);
    if (target && contexts.includes(target.first)) {
      violations.push({ file: 'tsconfig.json', line: 1, message: `alias ${key} names context ${target.first}; the wildcards @app/* and @app/*/contract cover it` });
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// The repository

// ---------------------------------------------------------------------------------------------
// Rule 6: a context's barrel is its published language and little else

/** What a barrel may re-export besides its contract, its definition and its own read models; each for a reason. */
const BARREL_EXTRAS: Readonly<Record<string, readonly { specifier: string; names: readonly string[]; why: string }[]>> = {
  identity: [
    { specifier: './http/authorize', names: ['Authorize', 'Caller'], why: "every context's endpoints are guarded by identity" },
    { specifier: './application/access-tokens', names: ['AccessClaims'], why: 'the caller a guarded endpoint is given' },
    { specifier: './application/authenticator', names: ['Authenticator'], why: 'health tells admins more' },
  ],
};

/** Re-exports (and imports) of `libs/<ctx>/src/index.ts` beyond what other contexts may use. */
export function barrelSurface(path: string, source: string, contexts: readonly string[]): Violation[] {
  const match = /^libs\/([^/]+)\/src\/index\.ts$/.exec(path);
  if (!match || !contexts.includes(match[1])) return [];
  const context = match[1];
  const published = (ref: ImportRef): boolean => {
    if (ref.specifier === './contract' || ref.specifier === `./${context}.context`) return true;
    if (ref.specifier.startsWith(`@app/projections/${context}/`) && /\.(projection|queries)$/.test(ref.specifier)) return ref.names[0] !== '*';
    const extra = (BARREL_EXTRAS[context] ?? []).find((e) => e.specifier === ref.specifier);
    return !!extra && ref.names.length > 0 && ref.names.every((name) => extra.names.includes(name));
  };
  return importsOf(path, source)
    .filter((ref) => !published(ref))
    .map((ref) => ({
      file: path,
      line: ref.line,
      message: `publishes '${ref.specifier}' (${ref.names.join(', ') || 'side effect'}): a barrel holds the contract, the context, its read models' projections and queries (allow-list in test/architecture.spec.ts)`,
    }));
}

function walk(folder: string): string[] {
  const absolute = resolve(ROOT, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
    return entry.isFile() && path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Production sources: apps/, libs/, projections/, without specs. */
function productionFiles(): { path: string; source: string }[] {
  return ['apps', 'libs', 'projections']
    .flatMap(walk)
    .filter((path) => !path.endsWith('.spec.ts'))
    .sort()
    .map((path) => ({ path, source: readFileSync(resolve(ROOT, path), 'utf8') }));
}

/** Contexts are the folders of libs/ except core and eventstore. */
function contextFolders(): string[] {
  return readdirSync(resolve(ROOT, 'libs'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !['core', 'eventstore'].includes(entry.name))
    .map((entry) => entry.name)
    .sort();
}

function load(path: string): Record<string, unknown> {
  return require(resolve(ROOT, path)) as Record<string, unknown>;
}

function expectNone(violations: Violation[]): void {
  if (violations.length === 0) return;
  const lines = violations.map((v) => `${v.file}:${v.line}: ${v.message}`);
  throw new Error(`${violations.length} violation(s):\n  ${lines.join('\n  ')}`);
}

const CONTEXTS = ['accounting', 'identity', 'tasks'];

// ---------------------------------------------------------------------------------------------

describe('architecture', () => {
  const files = productionFiles();
  const contexts = contextFolders();

  it('reads the production code', () => {
    expect(contexts.length).toBeGreaterThan(0);
    expect(files.some((f) => f.path === 'apps/contexts.ts')).toBe(true);
    expect(files.some((f) => f.path.endsWith('.spec.ts'))).toBe(false);
  });

  describe('reading imports', () => {
    it('sees every form of import, and which are type-only', () => {
      const refs = importsOf(
        'x.ts',
        [
          "import a from 'a';",
          "import type { B } from 'b';",
          "import { type C, type D } from 'c';",
          "import { type E, F } from 'e';",
          "import * as G from 'g';",
          "import 'h';",
          "export { I } from 'i';",
          "export type { J } from 'j';",
          "export * from 'k';",
          "import L = require('l');",
          "const m = require('m');",
          "const n = import('n');",
          "let o: import('o').O;",
        ].join('\n'),
      );
      expect(refs.map((r) => [r.specifier, r.line, r.typeOnly])).toEqual([
        ['a', 1, false],
        ['b', 2, true],
        ['c', 3, true],
        ['e', 4, false],
        ['g', 5, false],
        ['h', 6, false],
        ['i', 7, false],
        ['j', 8, true],
        ['k', 9, false],
        ['l', 10, false],
        ['m', 11, false],
        ['n', 12, false],
        ['o', 13, true],
      ]);
      expect(refs[3].names).toEqual(['E', 'F']);
    });
  });

  describe('1. no deep import of another context', () => {
    it('flags deep aliases, relative paths into another context, and what projections may not import', () => {
      const bad = deepImports(
        'libs/accounting/src/application/price-task/task-pricer.ts',
        [
          "import { taskDecider } from '@app/tasks/domain/task.decider';",
          "import type { TaskCreated } from '@app/tasks/contract/task.events';",
          "import { x } from '../../../../tasks/src/domain/task.decider';",
          "import { taskBoardQueries } from '@app/projections/tasks/task-board/task-board.queries';",
          "import { TaskCreated as T } from '@app/tasks/contract';",
          "import { tasksContext } from '@app/tasks';",
          "import { accountsQueries } from '@app/projections/accounting/accounts/accounts.queries';",
          "import { y } from '../../domain/account.decider';",
        ].join('\n'),
        CONTEXTS,
      );
      expect(bad.map((v) => v.line)).toEqual([1, 2, 3, 4]);
      expect(bad[0]).toMatchObject({ file: 'libs/accounting/src/application/price-task/task-pricer.ts', message: expect.stringContaining('deep import of context tasks') });

      const projection = deepImports(
        'projections/analytics/most-expensive-tasks/most-expensive-tasks.projection.ts',
        [
          "import { defineProjection } from '@app/core';",
          "import { utcDateOf } from '@app/core/domain';",
          "import type { Position } from '@app/eventstore';",
          "import type { AccountCredited } from '@app/accounting/contract';",
          "import { helper } from './helper';",
          "import { other } from '../other/other.projection';",
          "import { EVENT_STORE } from '@app/eventstore';",
          "import type { Knex } from 'knex';",
          "import { accountingContext } from '@app/accounting';",
          "import { z } from '../../accounting/accounts/accounts.projection';",
          "import { UserRow } from '@app/projections/identity/users/users.projection';",
        ].join('\n'),
        [...CONTEXTS, 'analytics'],
      );
      expect(projection.map((v) => v.line)).toEqual([7, 8, 9, 10, 11]);

      const core = deepImports('libs/core/src/nest/x.ts', "import { Role } from '@app/identity/contract';\nimport { Q } from '../../../tasks/src';", CONTEXTS);
      expect(core.map((v) => v.line)).toEqual([1, 2]);
    });

    it('holds for the production code', () => {
      expectNone(files.flatMap(({ path, source }) => deepImports(path, source, contexts)));
    });
  });

  describe('2. a table is named only in its read model folder', () => {
    const tables = new Map([
      ['task_board', 'projections/tasks/task-board'],
      ['users', 'projections/identity/users'],
    ]);

    it('flags SQL naming a table outside its folder, and nothing else', () => {
      const bad = tableUses(
        'libs/tasks/src/application/get-task/get-task.handler.ts',
        [
          "const row = await this.knex('task_board').where({ task_id: id }).first();",
          "const rows = await trx<UserRow>('users as u').select('u.name');",
          "query.leftJoin('users', 'users.user_id', 't.assignee_id');",
          'await this.knex.raw(`select count(*) from task_board where status = ${status}`);',
          "await knex.raw('update \"users\" set x = 1');",
          "@Controller('users') class UsersController {}",
          "@ApiTags('users') class Other {}",
          "// reads from users, in a comment",
          "const message = 'task_board_x';",
          "this.knex('users_archive');",
          "const path = 'users';",
        ].join('\n'),
        tables,
      );
      expect(bad.map((v) => [v.line, v.message.split(' (')[0]])).toEqual([
        [1, 'names table task_board'],
        [2, 'names table users'],
        [3, 'names table users'],
        [4, 'names table task_board'],
        [5, 'names table users'],
      ]);
      expect(bad[0].message).toContain('only projections/tasks/task-board/ does');
      expect(tableUses('projections/tasks/task-board/task-board.queries.ts', "table<TaskRow>('task_board').first()", tables)).toEqual([]);
    });

    it('finds each read model in its own folder', () => {
      const boardProjection = { name: 'task_board', tables: { task_board: null } };
      const flatProjection = { name: 'accounts', tables: { account_balances: null } };
      const { tables: found, violations } = readModelFolders(
        [{ name: 'tasks', projections: [boardProjection] }, { name: 'accounting', projections: [flatProjection] }],
        new Map([
          ['projections/tasks/task-board/task-board.projection.ts', { taskBoardProjection: boardProjection }],
          ['projections/accounting/accounts.projection.ts', { accountsProjection: flatProjection }],
        ]),
      );
      expect(found).toEqual(new Map([['task_board', 'projections/tasks/task-board']]));
      expect(violations).toEqual([expect.objectContaining({ file: 'projections/accounting/accounts.projection.ts' })]);
    });

    it('holds for the production code', () => {
      const { contexts: listed } = load('apps/contexts.ts') as { contexts: { name: string; projections: ProjectionLike[] }[] };
      const modules = new Map(
        walk('projections')
          .filter((path) => path.endsWith('.projection.ts'))
          .map((path) => [path, load(path)] as const),
      );
      const { tables: found, violations } = readModelFolders(listed, modules);
      expect(found.size).toBeGreaterThan(0);
      expectNone([...violations, ...files.flatMap(({ path, source }) => tableUses(path, source, found))]);
    });
  });

  describe('3. pure domain imports only @app/core/domain', () => {
    it('flags anything else, type imports and node built-ins included', () => {
      const bad = domainImports(
        'libs/tasks/src/domain/task.decider.ts',
        [
          "import { Decider, DomainError } from '@app/core/domain';",
          "import { type TaskCreated } from '../contract/task.events';",
          "import { tasksErrors } from './tasks.errors';",
          "import { CommandRunner } from '@app/core';",
          "import type { Knex } from 'knex';",
          "import { createHash } from 'node:crypto';",
          "import { TaskView } from '../application/task-view';",
          "import type { UserEvent } from '@app/identity/contract';",
          "import { Injectable } from '@nestjs/common';",
        ].join('\n'),
        CONTEXTS,
      );
      expect(bad.map((v) => v.line)).toEqual([4, 5, 6, 7, 8, 9]);
      expect(domainImports('libs/tasks/src/contract/index.ts', "export * from '../domain/x';\nexport { Q } from '@app/core/testing';", CONTEXTS).map((v) => v.line)).toEqual([2]);
      expect(domainImports('libs/tasks/src/application/x.ts', "import { CommandRunner } from '@app/core';", CONTEXTS)).toEqual([]);
    });

    it('holds for the production code', () => {
      expectNone(files.flatMap(({ path, source }) => domainImports(path, source, contexts)));
    });
  });

  describe('4. every context is defined once and listed in apps/contexts.ts', () => {
    it('flags a missing context file, an unlisted context, and apps/ reaching a context directly', () => {
      const listedOne = { name: 'tasks', projections: [] };
      const forgotten = { name: 'ledger', projections: [] };
      expect(
        unlistedContexts(['ledger', 'orders', 'tasks'], new Map([['tasks', { tasksContext: listedOne }], ['ledger', { ledgerContext: forgotten }]]), [listedOne]),
      ).toEqual([
        { file: 'libs/ledger/src/ledger.context.ts', line: 1, message: 'ledgerContext is not listed in apps/contexts.ts' },
        { file: 'libs/orders/src', line: 1, message: 'no orders.context.ts defining the context' },
      ]);

      const bad = contextImportsInApps(
        'apps/worker/worker.module.ts',
        "import { TasksWorkerModule } from '@app/tasks';\nimport type { TaskCreated } from '@app/tasks/contract';\nimport { contexts } from '../contexts';",
        CONTEXTS,
      );
      expect(bad.map((v) => v.line)).toEqual([1, 2]);
      expect(
        contextImportsInApps('apps/api/operations/projections.controller.ts', "import { Authorize } from '@app/identity';\nimport { IdentityModule } from '@app/identity';", CONTEXTS).map((v) => v.line),
      ).toEqual([2]);
      expect(contextImportsInApps('apps/contexts.ts', "import { tasksContext } from '@app/tasks';", CONTEXTS)).toEqual([]);
      expect(moduleListFromContexts('apps/api/api.module.ts', "import { TasksApiModule } from '@app/tasks';")).toHaveLength(1);
      expect(moduleListFromContexts('apps/api/api.module.ts', "import { contexts } from '../contexts';")).toEqual([]);
    });

    it('holds for the repository', () => {
      const modules = new Map(
        contexts.map((context) => {
          const file = `libs/${context}/src/${context}.context.ts`;
          return [context, existsSync(resolve(ROOT, file)) ? load(file) : undefined] as const;
        }),
      );
      const { contexts: listed } = load('apps/contexts.ts') as { contexts: readonly unknown[] };
      const appModules = files.filter(({ path }) => path === 'apps/api/api.module.ts' || path === 'apps/worker/worker.module.ts');
      expect(appModules).toHaveLength(2);
      expectNone([
        ...unlistedContexts(contexts, modules, listed),
        ...files.flatMap(({ path, source }) => contextImportsInApps(path, source, contexts)),
        ...appModules.flatMap(({ path, source }) => moduleListFromContexts(path, source)),
      ]);
    });
  });

  describe('5. one set of path aliases', () => {
    it('flags a difference, and an alias naming a context', () => {
      const differences = aliasDifferences(
        { '@app/core': ['libs/core/src'], '@app/*': ['libs/*/src'], '@app/tasks': ['libs/tasks/src'] },
        { '@app/core': ['libs/core/src'], '@app/*': ['libs/*/src/'] },
        CONTEXTS,
      );
      expect(differences.map((v) => v.message)).toEqual([
        'alias @app/*: tsconfig.json says ["libs/*/src"], .swcrc says ["libs/*/src/"]',
        'alias @app/tasks: tsconfig.json says ["libs/tasks/src"], .swcrc says null',
        'alias @app/tasks names context tasks; the wildcards @app/* and @app/*/contract cover it',
      ]);
    });

    it('holds for tsconfig.json and .swcrc', () => {
      const tsconfig = JSON.parse(readFileSync(resolve(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
      const swc = JSON.parse(readFileSync(resolve(ROOT, '.swcrc'), 'utf8')) as { jsc: { paths: Record<string, string[]> } };
      expectNone(aliasDifferences(tsconfig.compilerOptions.paths, swc.jsc.paths, contexts));
    });
  });

  describe('6. a barrel publishes the contract, the context and its read models', () => {
    it('flags a module, a handler or a whole read model folder published', () => {
      const bad = barrelSurface(
        'libs/tasks/src/index.ts',
        [
          "export * from './contract';",
          "export * from './tasks.context';",
          "export * from './tasks.module';",
          "export { CreateTaskHandler } from './application/create-task/create-task.handler';",
          "export * from '@app/projections/tasks/task-board/task-board.queries';",
          "export { taskBoardQueries } from '@app/projections/tasks/task-board/task-board.queries';",
        ].join('\n'),
        CONTEXTS,
      );
      expect(bad.map((v) => v.line)).toEqual([3, 4, 5]);
      expect(barrelSurface('libs/identity/src/index.ts', "export { Authorize, AuthGuard } from './http/authorize';", CONTEXTS)).toHaveLength(1);
      expect(barrelSurface('libs/identity/src/index.ts', "export { Authorize, Caller } from './http/authorize';", CONTEXTS)).toEqual([]);
      expect(barrelSurface('libs/tasks/src/application/index.ts', "export * from './anything';", CONTEXTS)).toEqual([]);
    });

    it('holds for every context', () => {
      expectNone(files.flatMap(({ path, source }) => barrelSurface(path, source, contexts)));
    });
  });
});
