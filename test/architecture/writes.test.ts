import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** What writes, makes, moves or opens a file: only base/writes.ts may call these. */
const WRITES = new Set(
  [
    'writeFile',
    'appendFile',
    'createWriteStream',
    'write',
    'writev',
    'copyFile',
    'cp',
    'rename',
    'symlink',
    'link',
    'truncate',
    'ftruncate',
    'open',
    'mkdir',
    'mkdtemp',
  ].flatMap((name) => [name, `${name}Sync`]),
);
/** VS Code's own file system: it follows links, so the client never writes with it. */
const VSCODE_WRITES = new Set(['writeFile', 'rename', 'copy', 'createDirectory']);
const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises']);

/** The short list of exceptions, each with why. */
const ALLOWED: Record<string, string[]> = {
  // The writer itself.
  'server/src/base/writes.ts': [...WRITES],
  // The reader: opened read-only (O_RDONLY | O_NONBLOCK), checked on the descriptor.
  'server/src/base/files.ts': ['openSync'],
  // The user's own cache folder, made 0700 and then checked to be the user's alone before anything is kept there.
  'server/src/base/userCache.ts': ['mkdirSync'],
};

/** The local names a file gives the fs module (`import * as fs`, `import fs`, `{ promises as fsp }`). */
function fsNames(source: ts.SourceFile, found: string[]): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!FS_MODULES.has(statement.moduleSpecifier.text)) continue;
    const clause = statement.importClause;
    if (clause?.name) names.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        if (imported === 'promises') names.add(element.name.text);
        if (WRITES.has(imported)) found.push(imported);
      }
    }
  }
  return names;
}

function leftmost(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isPropertyAccessExpression(current)) current = current.expression;
  return current;
}

/** Every file-writing call in a source text, by name (`writeFileSync`, `workspace.fs.writeFile`). */
export function writesIn(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const names = fsNames(source, found);
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const name = node.name.text;
      const base = leftmost(node.expression);
      if (WRITES.has(name) && ts.isIdentifier(base) && names.has(base.text)) found.push(name);
      if (VSCODE_WRITES.has(name) && /(^|\.)workspace\.fs$/.test(node.expression.getText(source))) {
        found.push(`workspace.fs.${name}`);
      }
    }
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'require' &&
      node.arguments.some((a) => ts.isStringLiteral(a) && FS_MODULES.has(a.text))
    ) {
      found.push('require(fs)');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('architecture: every file write goes through base/writes.ts', () => {
  it('no other module of server/src or client/src writes, makes, moves or opens a file', () => {
    const files = [...sourceFiles(path.join(ROOT, 'server', 'src')), ...sourceFiles(path.join(ROOT, 'client', 'src'))];
    assert.ok(files.length > 100, `found only ${files.length} source files`);
    const against: string[] = [];
    for (const file of files) {
      const relative = path.relative(ROOT, file).split(path.sep).join('/');
      const allowed = ALLOWED[relative] ?? [];
      for (const call of writesIn(file, fs.readFileSync(file, 'utf8'))) {
        if (!allowed.includes(call)) against.push(`${relative}: ${call}`);
      }
    }
    assert.deepEqual(against, []);
  });

  it('catches each way of writing (the check itself can fail)', () => {
    const cases: [string, string[]][] = [
      ["import * as fs from 'fs';\nfs.writeFileSync('a', 'b');", ['writeFileSync']],
      ["import fs from 'node:fs';\nfs.promises.appendFile('a', 'b');", ['appendFile']],
      ["import { promises as fsp } from 'fs';\nvoid fsp.writeFile('a', 'b');", ['writeFile']],
      ["import { createWriteStream } from 'fs';\ncreateWriteStream('a');", ['createWriteStream']],
      ["import * as fs from 'fs';\nfs.renameSync('a', 'b'); fs.openSync('a', 'w');", ['renameSync', 'openSync']],
      ["const fs = require('fs');", ['require(fs)']],
      ['await vscode.workspace.fs.writeFile(uri, bytes);', ['workspace.fs.writeFile']],
      ["import * as fs from 'fs';\nfs.readFileSync('a'); process.stdout.write('x'); clipboard.writeText('y');", []],
    ];
    for (const [text, expected] of cases) assert.deepEqual(writesIn('case.ts', text), expected, text);
  });
});
