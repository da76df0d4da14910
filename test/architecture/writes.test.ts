import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fsCallsIn, productSources } from '../helpers/fsCalls';

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

/** The short list of exceptions, each with why. */
const ALLOWED: Record<string, string[]> = {
  // The writer itself.
  'server/src/base/writes.ts': [...WRITES],
  // The reader: opened read-only (O_RDONLY | O_NONBLOCK), checked on the descriptor.
  'server/src/base/files.ts': ['openSync'],
  // The user's own cache folder, made 0700 and then checked to be the user's alone before anything is kept there.
  'server/src/base/userCache.ts': ['mkdirSync'],
};

/** Every file-writing call in a source text, by name (`writeFileSync`, `workspace.fs.writeFile`). */
export function writesIn(fileName: string, text: string): string[] {
  return fsCallsIn(fileName, text, WRITES, VSCODE_WRITES);
}

describe('architecture: every file write goes through base/writes.ts', () => {
  it('no other module of server/src or client/src writes, makes, moves or opens a file', () => {
    const files = productSources(ROOT);
    assert.ok(files.length > 100, `found only ${files.length} source files`);
    const against: string[] = [];
    for (const { relative, text } of files) {
      const allowed = ALLOWED[relative] ?? [];
      for (const call of writesIn(relative, text)) if (!allowed.includes(call)) against.push(`${relative}: ${call}`);
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
