import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER = path.join(ROOT, 'server', 'src');
const CLIENT = path.join(ROOT, 'client', 'src');

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** The `layers` block of ARCHITECTURE.md: each layer and what it may import. */
function writtenLayers(): Map<string, string[]> {
  const text = fs.readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');
  const block = /```layers\n([\s\S]*?)```/.exec(text);
  assert.ok(block, 'ARCHITECTURE.md has a ```layers block');
  const layers = new Map<string, string[]>();
  for (const line of block[1].split('\n').filter((l) => l.trim())) {
    const [name, deps] = line.split(':');
    layers.set(
      name.trim(),
      deps
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
    );
  }
  return layers;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function resolveModule(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base + '.ts', path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return base;
}

function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: Import[] = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier)) continue;
    const to = resolveModule(file, specifier.text);
    if (!to) continue;
    const typeOnly = ts.isImportDeclaration(statement)
      ? Boolean(statement.importClause?.isTypeOnly) || onlyTypeSpecifiers(statement.importClause)
      : statement.isTypeOnly;
    found.push({ from: file, to, typeOnly });
  }
  return found;
}

function onlyTypeSpecifiers(clause: ts.ImportClause | undefined): boolean {
  if (!clause || clause.name) return false;
  const bindings = clause.namedBindings;
  return Boolean(bindings && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly));
}

/** `server/src/manifest/model.ts` -> `manifest`; `client/src/x.ts` -> `client`. */
function layerOf(file: string): string {
  if (file.startsWith(CLIENT)) return 'client';
  const relative = path.relative(SERVER, file);
  if (relative.startsWith('..')) return path.relative(ROOT, file).split(path.sep)[0];
  return relative.split(path.sep)[0].replace(/\.ts$/, '');
}

function moduleName(file: string): string {
  return path.relative(SERVER, file).replace(/\.ts$/, '').split(path.sep).join('/');
}

function allowed(layers: Map<string, string[]>, imp: Import): boolean {
  const from = layerOf(imp.from);
  const to = layerOf(imp.to);
  if (from === to) return true;
  if (from === 'client') {
    if (imp.typeOnly && imp.to.startsWith(SERVER)) return true;
    const deps = layers.get('client') ?? [];
    return deps.includes(to) || deps.includes(moduleName(imp.to));
  }
  // The JSON Schema and the package's own name and version.
  if (to === 'schemas' || to === 'package.json') return true;
  return (layers.get(from) ?? []).includes(to);
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('architecture: the layers written in ARCHITECTURE.md', () => {
  const layers = writtenLayers();
  const files = [...sourceFiles(SERVER), ...sourceFiles(CLIENT)];
  const imports = files.flatMap(importsOf);

  it('names every folder of server/src as a layer, and the written layers have no cycle', () => {
    assert.ok(files.length > 100, `found only ${files.length} source files`);
    const present = new Set(files.map(layerOf));
    for (const layer of present) assert.ok(layers.has(layer), `${layer} is not in ARCHITECTURE.md's layers`);
    const graph = new Map([...layers].map(([name, deps]) => [name, deps.filter((d) => !d.includes('/'))]));
    assert.equal(findCycle(graph)?.join(' -> '), undefined);
  });

  it('has no import against the layers', () => {
    const against = imports
      .filter((imp) => !allowed(layers, imp))
      .map((imp) => `${path.relative(ROOT, imp.from)} imports ${path.relative(ROOT, imp.to)}`);
    assert.deepEqual(against, []);
  });

  it('has no import cycle between files', () => {
    const graph = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const imp of imports.filter((i) => !i.typeOnly)) graph.get(imp.from)?.push(imp.to);
    const cycle = findCycle(graph);
    assert.equal(cycle?.map((f) => path.relative(ROOT, f)).join(' -> '), undefined);
  });

  it('catches an import against the layers (the check itself can fail)', () => {
    const inverted: Import = {
      from: path.join(SERVER, 'manifest', 'model.ts'),
      to: path.join(SERVER, 'diagnostics', 'types.ts'),
      typeOnly: true,
    };
    assert.equal(allowed(layers, inverted), false);
    const heavy: Import = { from: path.join(CLIENT, 'x.ts'), to: path.join(SERVER, 'analysis.ts'), typeOnly: false };
    assert.equal(allowed(layers, heavy), false);
    assert.deepEqual(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
        ]),
      ),
      ['a', 'b', 'a'],
    );
  });
});

describe('architecture: the built client stays thin', () => {
  it('dist/client.js is under 300 KB and holds no analysis, ajv or undici', () => {
    const bundle = fs.readFileSync(path.join(ROOT, 'dist', 'client.js'), 'utf8');
    assert.ok(bundle.length < 300 * 1024, `dist/client.js is ${Math.round(bundle.length / 1024)} KB`);
    for (const marker of ['analyzeManifest', 'ajv', 'undici']) {
      assert.equal(bundle.includes(marker), false, `dist/client.js contains ${marker}`);
    }
  });
});
