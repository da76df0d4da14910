import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as ts from 'typescript';
import { fsCallsIn, productSources } from '../helpers/fsCalls';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** What reads a file's content: only base/files.ts may call these (ARCHITECTURE.md, "Rules that are not imports"). */
const READS = new Set(['readFile', 'createReadStream', 'read', 'readv'].flatMap((name) => [name, `${name}Sync`]));
const VSCODE_READS = new Set(['readFile']);

/** The short list of exceptions, each with why. */
const READS_ALLOWED: Record<string, string[]> = {
  'server/src/base/files.ts': [...READS],
  // The CLI's loader (dist/cli.js) reads its own bundle and its V8 code cache before base/files is loaded:
  // files it wrote itself, beside it or in the user's 0700 cache folder, the cache bounded in size.
  'server/src/cli/codeCache.ts': ['readFileSync'],
};

/** Modules that open network connections as a client; only testing/send.ts may (the mock is a server). */
const NETWORK_MODULES = new Set(
  ['undici', 'http', 'https', 'net', 'tls', 'http2', 'dgram'].flatMap((m) => [m, `node:${m}`]),
);
const NETWORK_ALLOWED = new Set(['server/src/testing/send.ts']);

/** The network modules a file imports for their values (type-only imports open nothing), and any fetch() call. */
export function networkIn(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (NETWORK_MODULES.has(statement.moduleSpecifier.text) && !statement.importClause?.isTypeOnly)
      found.push(statement.moduleSpecifier.text);
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'fetch')
      found.push('fetch()');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('architecture: every file read goes through base/files.ts, every request through testing/send.ts', () => {
  const files = productSources(ROOT);

  it('no other module of server/src or client/src reads a file', () => {
    assert.ok(files.length > 100, `found only ${files.length} source files`);
    const against = files.flatMap(({ relative, text }) =>
      fsCallsIn(relative, text, READS, VSCODE_READS)
        .filter((call) => !(READS_ALLOWED[relative] ?? []).includes(call))
        .map((call) => `${relative}: ${call}`),
    );
    assert.deepEqual(against, []);
  });

  it('no module but testing/send.ts opens a connection as a client (the mock partner API is a server)', () => {
    const against = files.flatMap(({ relative, text }) => {
      const uses = networkIn(relative, text);
      if (relative.startsWith('server/src/mock/')) return uses.filter((m) => m === 'undici' || m === 'fetch()');
      return NETWORK_ALLOWED.has(relative) ? [] : uses;
    });
    assert.deepEqual(against, []);
  });

  it('catches each way of reading and of connecting (the checks themselves can fail)', () => {
    const reads: [string, string[]][] = [
      ["import * as fs from 'fs';\nfs.readFileSync('a');", ['readFileSync']],
      ["import { createReadStream } from 'node:fs';\ncreateReadStream('a');", ['createReadStream']],
      ["import { promises as fsp } from 'fs';\nvoid fsp.readFile('a');", ['readFile']],
      ['await vscode.workspace.fs.readFile(uri);', ['workspace.fs.readFile']],
      ["import * as fs from 'fs';\nfs.statSync('a'); fs.writeFileSync('b', '');", []],
    ];
    for (const [text, expected] of reads)
      assert.deepEqual(fsCallsIn('case.ts', text, READS, VSCODE_READS), expected, text);
    const network: [string, string[]][] = [
      ["import { request } from 'undici';", ['undici']],
      ["import * as https from 'node:https';", ['node:https']],
      ["import type * as http from 'http';\nconst r = await fetch(url);", ['fetch()']],
      ["import type { AddressInfo } from 'net';", []],
    ];
    for (const [text, expected] of network) assert.deepEqual(networkIn('case.ts', text), expected, text);
  });
});
