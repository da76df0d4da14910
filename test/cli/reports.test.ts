import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { runCli } from '../../server/src/cli/main';
import { DIAGNOSTIC_CODES, docsUrl } from '../../server/src/diagnostics/codes';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import { REPO } from '../helpers/lspClient';
import { EXAMPLE_FILES, EXAMPLES, mutate, readExample } from '../helpers/manifests';

const CLI = path.join(REPO, 'dist', 'cli.js');
const SARIF_SCHEMA = path.join(REPO, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json');

function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO) {
  const clean = { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', ...env };
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: clean });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A folder with the list example broken three ways: an error, a warning, and a message full of , : % and newlines. */
function brokenFolder(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-reports-'));
  fs.cpSync(path.dirname(EXAMPLE_FILES.list), dir, { recursive: true });
  const file = path.join(dir, path.basename(EXAMPLE_FILES.list));
  let text = mutate(readExample('list'), '"source": "amplitude"', '"source": "$campaign"');
  text = mutate(text, '"X-Pushwave-Workspace": "$workspace_id"', '"X-Pushwave-Workspace": "w"');
  fs.writeFileSync(file, text);
  return { dir, file };
}

describe('validate reports for CI: SARIF, JUnit, GitHub annotations, thresholds', function () {
  this.timeout(60_000);
  const { dir, file } = brokenFolder();
  const relative = path.relative(REPO, file).split(path.sep).join('/');

  it('writes SARIF 2.1.0 that the official schema accepts: one rule per code with its docs, 1-based regions', () => {
    const out = path.join(dir, 'report.sarif');
    const result = run(['validate', relative, '--format', 'sarif', '--output', out]);
    assert.equal(result.code, 1, result.stderr);
    const log = JSON.parse(fs.readFileSync(out, 'utf8')) as Log;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')) as object);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const rules = log.runs[0].tool.driver.rules ?? [];
    assert.deepEqual(
      rules.map((r) => r.id),
      DIAGNOSTIC_CODES.map((c) => c.code),
    );
    assert.equal(rules.find((r) => r.id === 'unused-variable')?.helpUri, docsUrl('unused-variable'));
    const results = log.runs[0].results ?? [];
    const undeclared = results.find((r) => r.ruleId === 'undeclared-variable');
    assert.equal(undeclared?.level, 'error');
    const line =
      readExample('list')
        .split('\n')
        .findIndex((l) => l.includes('"source": "amplitude"')) + 1;
    const location = undeclared?.locations?.[0].physicalLocation;
    assert.equal(location?.artifactLocation?.uri, relative);
    assert.deepEqual([location?.region?.startLine, location?.region?.startColumn], [line, 20]);
    assert.equal(results.find((r) => r.ruleId === 'unused-variable')?.level, 'warning');
  });

  it('writes several reports in one run, and refuses two on standard output', () => {
    const junit = path.join(dir, 'report.xml');
    const json = path.join(dir, 'report.json');
    const result = run([
      'validate',
      relative,
      '--format',
      'junit',
      '--output',
      junit,
      '--format',
      'json',
      '--output',
      json,
      '--format',
      'text',
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /error undeclared-variable \$campaign is not declared/);
    assert.ok((JSON.parse(fs.readFileSync(json, 'utf8')) as unknown[]).length >= 2);
    const xml = fs.readFileSync(junit, 'utf8');
    assert.match(xml, /<testsuites tests="1" failures="1"/);
    assert.match(xml, new RegExp(`<testcase classname="validate" name="${relative}"`));
    assert.match(xml, /<failure message="2 problem\(s\)|<failure message="1 problem\(s\): undeclared-variable/);
    const twice = run(['validate', relative, '--format', 'json', '--format', 'text']);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /Only one --format can go to standard output/);
    assert.equal(run(['validate', relative, '--format', 'xml']).code, 2);
  });

  it('fails on the chosen threshold: --fail-on warning fails on warnings alone, none never fails', () => {
    const warningsOnly = path.join(dir, 'warnings.amplitude.json');
    fs.writeFileSync(
      warningsOnly,
      mutate(readExample('list'), '"X-Pushwave-Workspace": "$workspace_id"', '"X-Pushwave-Workspace": "w"'),
    );
    const target = path.relative(REPO, warningsOnly);
    assert.equal(run(['validate', target]).code, 0);
    const strict = run(['validate', target, '--fail-on', 'warning']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /1 at or above --fail-on warning/);
    assert.equal(run(['validate', relative, '--fail-on', 'none']).code, 0);
    assert.equal(run(['validate', relative, '--fail-on', 'fatal']).code, 2);
  });

  it('on GitHub Actions: annotations by default (escaped), and the full list in the step summary', () => {
    const summary = path.join(dir, 'summary.md');
    fs.writeFileSync(summary, '');
    // A message with a newline, a comma, a colon and a percent sign, in a file name with a comma.
    const odd = path.join(dir, 'odd, name.amplitude.json');
    fs.writeFileSync(odd, '{\n  "kind": "cohort-list",\n  "version": "100%: x,\ny"\n}\n');
    const result = run(['validate', path.relative(REPO, odd), relative], {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
    });
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.ok(lines.length >= 3 && lines.every((l) => /^::(error|warning|notice) file=/.test(l)), result.stdout);
    const oddLine = lines.find((l) => l.includes('odd%2C name'));
    assert.ok(oddLine, 'the comma in the file name is escaped');
    assert.match(
      result.stdout,
      new RegExp(
        `::error file=${relative.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},line=\\d+,col=20,endLine=\\d+,endColumn=29,title=undeclared-variable::\\$campaign is not declared`,
      ),
    );
    const written = fs.readFileSync(summary, 'utf8');
    assert.match(written, /### Amplitude integration manifests/);
    assert.equal(
      written.split('\n').filter((l) => l.startsWith('| error') || l.startsWith('| warning')).length,
      lines.filter((l) => !l.startsWith('::notice')).length,
    );
  });

  it('colors text on a terminal, and not with NO_COLOR', async () => {
    const outputs: string[] = [];
    const io = (env: NodeJS.ProcessEnv) => ({
      out: (t: string) => outputs.push(t),
      err: () => undefined,
      isTTY: true,
      env,
    });
    await runCli(['validate', file], io({}));
    await runCli(['validate', file], io({ NO_COLOR: '1' }));
    const ESC = String.fromCharCode(27);
    assert.ok(outputs[0].includes(`${ESC}[31merror${ESC}[0m`), JSON.stringify(outputs[0]));
    assert.ok(!outputs[1].includes(ESC));
  });
});

/** The CLI as its own process, without blocking this one (the mock answers from here). */
function runAsync(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, GITHUB_ACTIONS: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('test and simulate as JUnit against the mock', function () {
  this.timeout(60_000);
  let mock: MockPartner;
  const TOKEN = 'junit-token';
  before(async () => {
    mock = await startMockPartner({ auth: { bearer: TOKEN }, listIdPath: 'audience.id' });
  });
  after(() => mock.close());
  const values = () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-junit-')), 'values.json');
    fs.writeFileSync(file, JSON.stringify({ workspace_id: 'ws-1', region: 'us' }));
    return file;
  };

  it('test --format junit: one test case per endpoint in order, the classification in a failure', async () => {
    const ok = await runAsync(
      ['test', EXAMPLE_FILES.list, '--values', values(), '--target', mock.url, '--format', 'junit'],
      {
        AMPLITUDE_VALUE_BEARER_TOKEN: TOKEN,
      },
    );
    assert.equal(ok.code, 0, ok.stderr);
    const names = [...ok.stdout.matchAll(/<testcase classname="test" name="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(names, ['listCreation', 'addUsers', 'removeUsers']);
    assert.doesNotMatch(ok.stdout, /<failure/);
    assert.ok(!ok.stdout.includes(TOKEN));
    const denied = await runAsync(
      ['test', EXAMPLE_FILES.list, '--values', values(), '--target', mock.url, '--format', 'junit'],
      {
        AMPLITUDE_VALUE_BEARER_TOKEN: 'wrong-token',
      },
    );
    assert.equal(denied.code, 1);
    assert.match(denied.stdout, /<failure message="401 Unauthorized; classified: [^"]+"/);
    assert.ok(!denied.stdout.includes('wrong-token'));
  });

  it('simulate --format junit: the requests and the end state as two test cases', async () => {
    const result = await runAsync(
      [
        'simulate',
        EXAMPLE_FILES.list,
        '--values',
        values(),
        '--target',
        mock.url,
        '--users',
        '30',
        '--format',
        'junit',
      ],
      {
        AMPLITUDE_VALUE_BEARER_TOKEN: TOKEN,
      },
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      /<testsuite name="amplitude-integration simulate pushwave-lists.amplitude.json" tests="2" failures="0"/,
    );
    assert.match(result.stdout, /name="end state on the partner"/);
  });
});

describe('the examples pass their own CI', () => {
  it('validate of the examples writes clean SARIF', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-sarif-')), 'examples.sarif');
    assert.equal(run(['validate', path.relative(REPO, EXAMPLES), '--format', 'sarif', '--output', out]).code, 0);
    assert.deepEqual((JSON.parse(fs.readFileSync(out, 'utf8')) as Log).runs[0].results, []);
  });
});
