import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO } from '../helpers/lspClient';
import { EXAMPLE_FILES, EXAMPLES, mutate, readExample } from '../helpers/manifests';

const CLI = path.join(REPO, 'dist', 'cli.js');

function run(args: string[], cwd = REPO): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of an example folder in a temp dir, with the manifest text replaced. */
function brokenCopy(kind: keyof typeof EXAMPLE_FILES, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-cli-'));
  fs.cpSync(path.dirname(EXAMPLE_FILES[kind]), dir, { recursive: true });
  const file = path.join(dir, path.basename(EXAMPLE_FILES[kind]));
  fs.writeFileSync(file, text);
  return file;
}

describe('validate CLI (as a process)', () => {
  it('exits 0 on the examples folder and says what it checked', () => {
    const result = run(['validate', EXAMPLES]);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.strictEqual(result.stdout, '');
    assert.match(result.stderr, /4 manifests checked: 0 errors, 0 warnings/);
  });

  it('prints file:line:col severity code message and exits 1 on an error', () => {
    const file = brokenCopy('list', mutate(readExample('list'), '"source": "amplitude"', '"source": "$campaign"'));
    const result = run(['validate', file]);
    assert.strictEqual(result.code, 1);
    const line =
      readExample('list')
        .split('\n')
        .findIndex((l) => l.includes('"source": "amplitude"')) + 1;
    assert.strictEqual(
      result.stdout.trim(),
      `${file}:${line}:20 error undeclared-variable $campaign is not declared: add a custom field or mapping field named "campaign", or use a pre-defined variable. Nothing can be sent until it has a value.`,
    );
  });

  it('prints 0-based LSP ranges as JSON', () => {
    const file = brokenCopy(
      'list',
      mutate(readExample('list'), '"X-Pushwave-Workspace": "$workspace_id"', '"X-Pushwave-Workspace": "$workspace-id"'),
    );
    const result = run(['validate', '--format', 'json', file]);
    assert.strictEqual(result.code, 1, 'a dash that leaves an undeclared name is an error');
    const parsed = JSON.parse(result.stdout) as {
      file: string;
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
      severity: string;
      code: string;
    }[];
    const line = readExample('list')
      .split('\n')
      .findIndex((l) => l.includes('"X-Pushwave-Workspace"'));
    const declaredAt = readExample('list')
      .split('\n')
      .findIndex((l) => l.includes('"variable": "workspace_id"'));
    assert.deepStrictEqual(
      parsed.map((d) => [d.code, d.severity, d.range]),
      [
        [
          'unused-variable',
          'warning',
          { start: { line: declaredAt, character: 19 }, end: { line: declaredAt, character: 31 } },
        ],
        ['variable-dash', 'error', { start: { line, character: 29 }, end: { line, character: 42 } }],
      ],
    );
  });

  it('checks the body template of a streaming manifest too, with the engine', () => {
    const file = brokenCopy('streaming', readExample('streaming'));
    const template = path.join(path.dirname(file), 'body.ftl');
    fs.writeFileSync(
      template,
      fs
        .readFileSync(template, 'utf8')
        .replace('${parameters.app_id?json_string}', '${parameters.tenant?json_string}')
        .replace('<#sep>,</#sep>', ''),
    );
    const result = run(['validate', '--format', 'json', file]);
    assert.strictEqual(result.code, 1);
    const found = (JSON.parse(result.stdout) as { file: string; code: string }[]).map(
      (d) => `${path.basename(d.file)} ${d.code}`,
    );
    // parameters.tenant is missing when Amplitude renders: the engine stops there, before the JSON check.
    assert.deepStrictEqual(found, [
      'beacon-events.amplitude.json unused-variable',
      'body.ftl undeclared-parameter',
      'body.ftl template-render-error',
    ]);
  });

  it('exits 2 with a message (no stack trace) on bad usage and unreadable input', () => {
    for (const args of [
      [],
      ['validate'],
      ['validate', '--format', 'xml', EXAMPLES],
      ['validate', 'does/not/exist.amplitude.json'],
      ['frobnicate'],
    ]) {
      const result = run(args);
      assert.strictEqual(result.code, 2, args.join(' '));
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.match(run(['validate', 'does/not/exist.amplitude.json']).stderr, /no such file or folder/);
  });

  it('is the package bin "amplitude-integration"', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.strictEqual(pkg.bin['amplitude-integration'], 'dist/cli.js');
    assert.ok(fs.readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node'));
  });
});
