import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises']);

/** The local names a file gives the fs module (`import * as fs`, `import fs`, `{ promises as fsp }`). */
function fsNames(source: ts.SourceFile, calls: ReadonlySet<string>, found: string[]): Set<string> {
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
        if (calls.has(imported)) found.push(imported);
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

/**
 * Every call of one of `calls` on the fs module in a source text (`fs.writeFileSync`, an imported
 * `createReadStream`), of `vscodeCalls` on `workspace.fs`, and `require('fs')` itself.
 */
export function fsCallsIn(
  fileName: string,
  text: string,
  calls: ReadonlySet<string>,
  vscodeCalls: ReadonlySet<string>,
): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const names = fsNames(source, calls, found);
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const name = node.name.text;
      const base = leftmost(node.expression);
      if (calls.has(name) && ts.isIdentifier(base) && names.has(base.text)) found.push(name);
      if (vscodeCalls.has(name) && /(^|\.)workspace\.fs$/.test(node.expression.getText(source))) {
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

/** Every .ts file of server/src and client/src, as repository-relative paths with their text. */
export function productSources(root: string): { relative: string; text: string }[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return entry.name.endsWith('.ts') ? [full] : [];
    });
  return [...walk(path.join(root, 'server', 'src')), ...walk(path.join(root, 'client', 'src'))].map((file) => ({
    relative: path.relative(root, file).split(path.sep).join('/'),
    text: fs.readFileSync(file, 'utf8'),
  }));
}
