import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIAGNOSTIC_CODES } from '../../server/src/diagnostics/codes';
import { diagnosticsDocument, withReadmeTables } from '../../server/src/diagnostics/reference';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every kebab-case literal on a line about a diagnostic `code` in the server: what a diagnostic can carry. */
function codesInSource(): Set<string> {
  const found = new Set<string>();
  // The layers that produce diagnostics (testing/ has its own failure codes, which are not diagnostics).
  const producers = ['diagnostics', 'templates', 'manifest', 'language', 'lsp', 'diff', 'contract'];
  const files = producers.flatMap((p) => sourceFiles(path.join(ROOT, 'server', 'src', p)));
  for (const file of [...files, path.join(ROOT, 'server', 'src', 'analysis.ts')]) {
    if (file.endsWith(path.join('diagnostics', 'codes.ts'))) continue;
    const text = fs.readFileSync(file, 'utf8');
    // A table of codes (`const IMPACT_CODES = { breaking: 'breaking-change', ... }`).
    for (const m of text.matchAll(/[A-Z_]*CODES\b[^=]*= \{([^}]*)\}/g))
      for (const c of m[1].matchAll(/'([a-z]+(?:-[a-z]+)+)'/g)) found.add(c[1]);
    for (const m of text.matchAll(/\bcodes: \[([^\]]*)\]/g))
      for (const c of m[1].matchAll(/'([a-z]+(?:-[a-z]+)+)'/g)) found.add(c[1]);
    for (const line of text.split('\n')) {
      // A file refusal (`{ ok: false, code }`) is not a diagnostic: the files check turns it into one.
      if (!/\bcodes?\b/.test(line) || /ok: false/.test(line)) continue;
      for (const m of line.matchAll(/'([a-z]+(?:-[a-z]+)+)'/g)) found.add(m[1]);
    }
  }
  return found;
}

describe('the diagnostics reference: one table drives the docs, the README and the editor', () => {
  it('docs/diagnostics.md is written from the table (run npm run docs after changing a code)', () => {
    assert.equal(fs.readFileSync(path.join(ROOT, 'docs', 'diagnostics.md'), 'utf8'), diagnosticsDocument());
  });

  it("the README's diagnostics tables are written from the table", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.equal(readme, withReadmeTables(readme));
  });

  it('every code the checks can report is in the table, and every code in the table is reported somewhere', () => {
    const inTable = new Set(DIAGNOSTIC_CODES.map((c) => c.code));
    const inSource = codesInSource();
    assert.ok(inSource.size > 30, `only ${inSource.size} codes found in the source`);
    assert.deepEqual([...inSource].filter((c) => !inTable.has(c)).sort(), [], 'reported but not documented');
    assert.deepEqual([...inTable].filter((c) => !inSource.has(c)).sort(), [], 'documented but never reported');
  });

  it('codes are unique and each has a heading in docs/diagnostics.md', () => {
    const codes = DIAGNOSTIC_CODES.map((c) => c.code);
    assert.equal(new Set(codes).size, codes.length);
    const doc = diagnosticsDocument();
    for (const code of codes) assert.ok(doc.includes(`\n## ${code}\n`), code);
  });
});
