import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { productSources } from '../helpers/fsCalls';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Where the manifest may still be the raw JSON value: the parser that makes it, and the schema validator that
 * reads it as JSON Schema sees it (ARCHITECTURE.md, "Rules that are not imports"). Everything else takes the
 * model (manifest/model.ts) or its typed part.
 */
const PARSER = new Set(['server/src/manifest/document.ts', 'server/src/manifest/schema.ts']);

/** A name that says "the manifest": manifest, manifestValue, rawManifest (not manifestFile, a path). */
const MANIFEST_NAME = /^(raw)?manifest(value|json)?$/i;

function nameOf(name: ts.BindingName | ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** Whether a declared type is `unknown`, alone or in a union (`unknown | undefined` is still unknown). */
function isUnknown(type: ts.TypeNode | undefined): boolean {
  if (!type) return false;
  if (type.kind === ts.SyntaxKind.UnknownKeyword) return true;
  if (ts.isUnionTypeNode(type)) return type.types.some(isUnknown);
  if (ts.isParenthesizedTypeNode(type)) return isUnknown(type.type);
  return false;
}

/**
 * The parameters (and the fields of the option objects functions take) named for the manifest and typed
 * `unknown`, as `line: name`. Read by the TypeScript parser: comments and strings never count.
 */
export function rawManifestParameters(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isParameter(node) || ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) {
      const name = nameOf(node.name);
      if (name !== undefined && MANIFEST_NAME.test(name) && isUnknown(node.type)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${line + 1}: ${name}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The tests' builders, which make manifests and models for every spec. */
function helperSources(): { relative: string; text: string }[] {
  const dir = path.join(ROOT, 'test', 'helpers');
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ relative: `test/helpers/${name}`, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

describe('architecture: the raw manifest stays in the parser', () => {
  const files = [...productSources(ROOT), ...helperSources()];

  it('no function outside the parser takes the manifest as `unknown`: features take the typed model', () => {
    assert.ok(files.length > 100, `found only ${files.length} source files`);
    const against = files
      .filter(({ relative }) => !PARSER.has(relative))
      .flatMap(({ relative, text }) => rawManifestParameters(relative, text).map((at) => `${relative}:${at}`));
    assert.deepEqual(against, []);
  });

  it('catches each way of writing it (the check itself can fail)', () => {
    const cases: [string, string[]][] = [
      ['export function limitsOf(manifest: unknown) {}', ['1: manifest']],
      ['const f = (a: string, manifest?: unknown) => a;', ['1: manifest']],
      ['class C {\n  constructor(private readonly manifestValue: unknown) {}\n}', ['2: manifestValue']],
      ['interface Plan {\n  manifest: unknown | undefined;\n}', ['2: manifest']],
      ['function g(this: void, rawManifest: (unknown)) {}', ['1: rawManifest']],
      // The model, a path to the manifest, a comment and a string are not the raw manifest.
      ['function h(manifest: ManifestModel, manifestFile: string) {}', []],
      ['// function old(manifest: unknown)\nconst s = "manifest: unknown";', []],
      ['function k(value: unknown) {}', []],
    ];
    for (const [text, expected] of cases) assert.deepEqual(rawManifestParameters('case.ts', text), expected, text);
  });
});
