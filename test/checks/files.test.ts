import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeManifest, type ManifestAnalysis } from '../../server/src/analysis';
import { MAX_IMAGE_BYTES, MAX_TEXT_BYTES, nodeFiles } from '../../server/src/base/files';
import { analyzeAs, EXAMPLE_FILES, mutate, readExample, textAt } from '../helpers/manifests';

type Kind = keyof typeof EXAMPLE_FILES;

const copies: string[] = [];

/** A copy of an example's folder in a temporary workspace, `prepare` changing its files; analysed there. */
function analyzeCopy(kind: Kind, prepare: (dir: string) => void): { text: string; analysis: ManifestAnalysis } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-files-check-'));
  copies.push(dir);
  fs.cpSync(path.dirname(EXAMPLE_FILES[kind]), dir, { recursive: true });
  prepare(dir);
  const text = readExample(kind);
  return { text, analysis: analyzeManifest(text, { baseDir: dir, rootDir: dir, files: nodeFiles }) };
}

/** Replaces a file by a sparse one of `bytes` (no disk is used for its zeros). */
function sparse(file: string, bytes: number): void {
  fs.rmSync(file);
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, bytes);
}

function fifo(file: string): void {
  fs.rmSync(file);
  execFileSync('mkfifo', [file]);
}

describe('file checks', () => {
  after(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('logo-missing', () => {
    const text = mutate(readExample('list'), '"logo": "logo.png"', '"logo": "brand/logo.png"');
    assert.deepStrictEqual(
      analyzeAs('list', text).diagnostics.map((d) => [d.code, textAt(text, d)]),
      [['logo-missing', '"brand/logo.png"']],
    );
  });

  it('logo-not-png: a file that is not a PNG, whatever its name', () => {
    const text = mutate(readExample('streaming'), '"logo": "logo.png"', '"logo": "body.ftl"');
    assert.deepStrictEqual(
      analyzeAs('streaming', text).diagnostics.map((d) => d.code),
      ['logo-not-png'],
    );
  });

  it('template-missing', () => {
    const text = mutate(readExample('streaming'), '"bodyTemplate": "body.ftl"', '"bodyTemplate": "event.ftl"');
    assert.deepStrictEqual(
      analyzeAs('streaming', text).diagnostics.map((d) => d.code),
      ['template-missing'],
    );
  });

  it('step-image-missing', () => {
    const text = mutate(readExample('ingestion'), '"images/step-3.png"', '"images/step-9.png"');
    assert.deepStrictEqual(
      analyzeAs('ingestion', text).diagnostics.map((d) => [d.code, textAt(text, d)]),
      [['step-image-missing', '"images/step-9.png"']],
    );
  });

  it('file-not-local: URLs, absolute paths and paths out of the workspace', () => {
    for (const logo of ['https://cdn.example.com/logo.png', '/etc/passwd', '../../../../../../etc/passwd']) {
      const text = mutate(readExample('list'), '"logo": "logo.png"', `"logo": ${JSON.stringify(logo)}`);
      assert.deepStrictEqual(
        analyzeAs('list', text).diagnostics.map((d) => d.code),
        ['file-not-local'],
        logo,
      );
    }
  });

  describe('file-unreadable: a referenced file that is not read', () => {
    const findings = ({ text, analysis }: { text: string; analysis: ManifestAnalysis }) =>
      analysis.diagnostics.map((d) => ({
        code: d.code,
        severity: d.severity,
        text: textAt(text, d),
        message: d.message,
      }));

    it('is silent on the example folders copied as they are', () => {
      for (const kind of ['list', 'streaming'] as const)
        assert.deepStrictEqual(findings(analyzeCopy(kind, () => {})), []);
    });

    it('a logo that is a FIFO: refused without waiting for a writer', () => {
      const found = findings(analyzeCopy('list', (dir) => fifo(path.join(dir, 'logo.png'))));
      assert.deepStrictEqual(
        found.map((f) => [f.code, f.severity, f.text]),
        [['file-unreadable', 'error', '"logo.png"']],
      );
      assert.match(found[0].message, /^The logo "logo\.png" is not a regular file \(a device, pipe or folder\)/);
    });

    it('a logo over the image limit (a sparse file): refused, its size said', () => {
      const found = findings(analyzeCopy('list', (dir) => sparse(path.join(dir, 'logo.png'), MAX_IMAGE_BYTES + 1)));
      assert.deepStrictEqual(
        found.map((f) => [f.code, f.severity, f.text]),
        [['file-unreadable', 'error', '"logo.png"']],
      );
      assert.match(found[0].message, /^The logo "logo\.png" is larger than 5 MB/);
    });

    it('a body template over the text limit, and one that is a FIFO', () => {
      const large = findings(analyzeCopy('streaming', (dir) => sparse(path.join(dir, 'body.ftl'), MAX_TEXT_BYTES + 1)));
      assert.deepStrictEqual(
        large.map((f) => [f.code, f.severity, f.text]),
        [['file-unreadable', 'error', '"body.ftl"']],
      );
      assert.match(large[0].message, /^The body template "body\.ftl" is larger than 2 MB/);
      const pipe = findings(analyzeCopy('streaming', (dir) => fifo(path.join(dir, 'body.ftl'))));
      assert.deepStrictEqual(
        pipe.map((f) => [f.code, f.text]),
        [['file-unreadable', '"body.ftl"']],
      );
      assert.match(pipe[0].message, /is not a regular file/);
    });
  });
});
