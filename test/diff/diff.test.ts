import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeManifest } from '../../server/src/analysis';
import { diffCommand } from '../../server/src/cli/diffCommand';
import { classifyChanges, type Impact } from '../../server/src/diff/classify';
import type { FileDiagnostic } from '../../server/src/reports/finding';
import { releaseRepository } from '../helpers/git';
import { REPO } from '../helpers/lspClient';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

const CLI = path.join(REPO, 'dist', 'cli.js');

function impacts(before: string, after: string): { impact: Impact; message: string }[] {
  return classifyChanges(analyzeManifest(before), analyzeManifest(after)).map(({ impact, message }) => ({
    impact,
    message,
  }));
}

/** Exactly these changes, each once: a finding no expectation names fails the test as much as a missing one. */
function expectChanges(before: string, after: string, expected: [Impact, RegExp][]): void {
  const found = impacts(before, after);
  const shown = JSON.stringify(found, null, 1);
  const left = [...found];
  for (const [impact, pattern] of expected) {
    const at = left.findIndex((c) => c.impact === impact && pattern.test(c.message));
    assert.ok(at >= 0, `expected ${impact} ${String(pattern)} in ${shown}`);
    left.splice(at, 1);
  }
  assert.deepEqual(left, [], `findings no expectation names, in ${shown}`);
}

/** What every breaking change brings while "version" stays the same. */
const NO_NEW_VERSION: [Impact, RegExp] = ['risky', /Breaking changes without a new version/];

/** The one change expected, and nothing else. */
function expectOne(before: string, after: string, impact: Impact, pattern: RegExp): void {
  expectChanges(before, after, [[impact, pattern]]);
}

describe('diff: each change classified for customers who already set the integration up', () => {
  const list = readExample('list');
  const property = readExample('property');
  const streaming = readExample('streaming');

  it('no change, no finding', () => {
    assert.deepEqual(impacts(list, list), []);
  });

  it('breaking: a removed custom field, a renamed variable, a new field without a default', () => {
    const removed = JSON.parse(list.replace(/^\s*\/\/.*$/gm, '')) as { customFields: unknown[] };
    removed.customFields = removed.customFields.slice(1);
    expectChanges(list, JSON.stringify(removed, null, 2), [
      ['breaking', /Custom field "workspace_id" was removed/],
      NO_NEW_VERSION,
    ]);
    const renamed = list
      .replace(/"variable": "workspace_id"/, '"variable": "workspace"')
      .replace(/\$workspace_id/g, '$workspace');
    expectChanges(list, renamed, [
      ['breaking', /"workspace_id" was removed \(or renamed\)/],
      ['breaking', /New custom field "workspace" without a default/],
      ['risky', /The additional headers changed/],
      NO_NEW_VERSION,
    ]);
  });

  it('breaking: a lost option value, another authentication method, a new list id path', () => {
    const lostOption = list.replace('{ "label": "EU", "value": "eu" }', '');
    expectChanges(list, lostOption, [['breaking', /lost option value\(s\) "eu"/], NO_NEW_VERSION]);
    expectChanges(list, mutate(list, '"method": "bearer"', '"method": "header"'), [
      ['breaking', /authentication method changed from bearer to header/],
      NO_NEW_VERSION,
    ]);
    expectChanges(list, mutate(list, '"listIdPath": "audience.id"', '"listIdPath": "data.id"'), [
      ['breaking', /path to the list id changed/],
      NO_NEW_VERSION,
    ]);
  });

  it('breaking in streaming: a new parameter, a mapping that becomes required; risky: the request', () => {
    const parameter = mutate(
      streaming,
      '"parameters": [',
      '"parameters": [{ "name": "tenant", "displayName": "Tenant" },',
    );
    expectChanges(streaming, parameter, [['breaking', /New parameter "tenant" without a default/], NO_NEW_VERSION]);
    const request = streaming.replace(/"url": "https:\/\/([^"]+)"/, '"url": "https://v2.$1"');
    expectOne(streaming, request, 'risky', /The event request changed \(url\)/);
  });

  it('risky: a payload and headers; safe: a description, a new option, an error message', () => {
    expectOne(list, mutate(list, '"source": "amplitude"', '"source": "amp"'), 'risky', /payload changed/);
    expectOne(
      property,
      property.replace(/"summary": "[^"]*"/, '"summary": "New words"'),
      'safe',
      /Connection info changed/,
    );
    expectOne(
      list,
      mutate(
        list,
        '{ "label": "EU", "value": "eu" }',
        '{ "label": "EU", "value": "eu" }, { "label": "AU", "value": "au" }',
      ),
      'safe',
      /new option\(s\) "au"/,
    );
  });

  it('says when breaking changes come without a new version', () => {
    const basic = mutate(list, '"method": "bearer"', '"method": "basic"');
    const changed = [['breaking', /authentication method changed from bearer to basic/]] as [Impact, RegExp][];
    expectChanges(list, basic, [...changed, NO_NEW_VERSION]);
    expectChanges(list, basic.replace('"version": "1.2.1"', '"version": "2.0.0"'), changed);
  });
});

describe('diff on the command line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-diff-'));
  const list = readExample('list');
  const oldFile = path.join(dir, 'old.amplitude.json');
  const newFile = path.join(dir, 'new.amplitude.json');
  fs.writeFileSync(oldFile, list);
  fs.writeFileSync(newFile, mutate(list, '"listIdPath": "audience.id"', '"listIdPath": "data.id"'));
  const run = (args: string[], cwd = REPO) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, GITHUB_ACTIONS: '' } });

  it('prints each change where it is, and exits 1 on breaking only with --fail-on breaking', () => {
    const plain = run(['diff', oldFile, newFile]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(
      plain.stdout,
      /new\.amplitude\.json:\d+:\d+ error breaking-change breaking: List creation: the path to the list id changed/,
    );
    assert.match(plain.stderr, /1 breaking/);
    assert.equal(run(['diff', oldFile, newFile, '--fail-on', 'breaking']).status, 1);
    assert.equal(run(['diff', oldFile, oldFile, '--fail-on', 'breaking']).status, 0);
    const json = JSON.parse(run(['diff', oldFile, newFile, '--format', 'json']).stdout) as { code: string }[];
    assert.ok(json.some((f) => f.code === 'breaking-change'));
  });

  it('--base compares with a git revision of the same file', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-diff-git-'));
    const file = path.join(repo, 'pushwave.amplitude.json');
    fs.writeFileSync(file, list);
    releaseRepository(repo, 'v1.2.1');
    fs.writeFileSync(file, mutate(list, '"method": "bearer"', '"method": "basic"'));
    const result = run(['diff', file, '--base', 'v1.2.1', '--fail-on', 'breaking']);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /authentication method changed from bearer to basic/);
    const missing = run(['diff', file, '--base', 'no-such-tag']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot be read from git/);
  });

  it('--base with a path-shaped revision, or one that does not hold the file, is an error, not an empty manifest', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-diff-git-'));
    fs.mkdirSync(path.join(repo, 'pushwave'));
    fs.writeFileSync(path.join(repo, 'README.md'), 'before the integration\n');
    releaseRepository(repo, 'v0.1.0');
    const file = path.join(repo, 'pushwave', 'pushwave.amplitude.json');
    fs.writeFileSync(file, list);
    for (const revision of ['..', '.', './pushwave', '../..', 'HEAD/..', 'v0.1.0/', '/etc']) {
      const result = run(['diff', file, '--base', revision]);
      assert.equal(result.status, 2, `${revision}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, /is not a git revision/, revision);
      assert.equal(result.stdout, '', `${revision}: nothing is compared`);
    }
    const notHeld = run(['diff', file, '--base', 'v0.1.0']);
    assert.equal(notHeld.status, 2, notHeld.stdout);
    assert.match(
      notHeld.stderr,
      /at v0\.1\.0 cannot be read from git \(v0\.1\.0 does not hold pushwave\.amplitude\.json\)/,
    );
    assert.doesNotMatch(notHeld.stderr, /change\(s\)/);
    const tree = run(['diff', file, '--base', 'HEAD^{tree}']);
    assert.equal(tree.status, 2, tree.stdout);
    assert.match(tree.stderr, /is not a commit, tag or branch here/);
  });

  it('--base at a revision where the file is not JSON says so instead of comparing with nothing', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-diff-git-'));
    const file = path.join(repo, 'pushwave.amplitude.json');
    fs.writeFileSync(file, '{ "integrationName": "Pushwave", <<<<<<< merge conflict\n');
    releaseRepository(repo, 'v0.9.0');
    fs.writeFileSync(file, list);
    const result = run(['diff', file, '--base', 'v0.9.0']);
    assert.equal(result.status, 2, result.stdout);
    assert.match(result.stderr, /at v0\.9\.0 is not valid JSON \(1:\d+: .*\), so there is nothing to compare with/);
    assert.equal(result.stdout, '');
  });
});

describe('diff compares body templates by content', () => {
  const streamingDir = path.dirname(EXAMPLE_FILES.streaming);
  const manifestName = path.basename(EXAMPLE_FILES.streaming);
  const run = (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, GITHUB_ACTIONS: '' },
    });
  /** The streaming example in its own repository, tagged v1.0.0, its manifest untouched since. */
  function released(): { repo: string; file: string; template: string } {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-diff-ftl-'));
    fs.cpSync(streamingDir, repo, { recursive: true });
    releaseRepository(repo, 'v1.0.0');
    return { repo, file: path.join(repo, manifestName), template: path.join(repo, 'body.ftl') };
  }

  it('--base: only body.ftl changed is a risky change that says which lines', () => {
    const { file, template } = released();
    const old = fs.readFileSync(template, 'utf8');
    fs.writeFileSync(
      template,
      old.replace('"name": "${input.event_type?json_string}"', '"event": "${input.event_type}"'),
    );
    const line = old.split('\n').findIndex((l) => l.includes('"name": "${input.event_type')) + 1;
    const result = run(['diff', file, '--base', 'v1.0.0', '--fail-on', 'risky']);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`warning risky-change risky: The event body template "body.ftl" changed \\(line ${line} changed\\)`),
    );
    assert.match(result.stderr, /1 change\(s\): 0 breaking, 1 risky/);
  });

  it('--base: an unchanged template is no change; a template missing at either side is said', () => {
    const { repo, file, template } = released();
    assert.match(run(['diff', file, '--base', 'v1.0.0']).stderr, /^0 change\(s\)/m);
    fs.rmSync(template);
    const gone = run(['diff', file, '--base', 'v1.0.0', '--fail-on', 'breaking']);
    assert.equal(gone.status, 1);
    assert.match(gone.stdout, /The event body template "body.ftl" does not exist .*no event can be built/);
    fs.writeFileSync(template, 'x');
    execFileSync('git', ['rm', '-q', '--cached', 'body.ftl'], { cwd: repo });
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'no ftl'], {
      cwd: repo,
    });
    const never = run(['diff', file, '--base', 'HEAD']);
    assert.match(never.stdout, /"body.ftl" of the old version is not in HEAD, so its content cannot be compared/);
  });

  it("two files: each one's own template; identify templates too", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-diff-two-'));
    const manifest = mutate(
      readExample('streaming'),
      '"bodyTemplate": "body.ftl"\n  }',
      '"bodyTemplate": "body.ftl"\n  },\n  "identify": { "url": "https://x.example/identify", "method": "POST", ' +
        '"bodyTemplate": "identify.ftl" }',
    );
    for (const side of ['old', 'new']) {
      fs.mkdirSync(path.join(dir, side));
      fs.writeFileSync(path.join(dir, side, 'm.amplitude.json'), manifest);
      fs.copyFileSync(path.join(streamingDir, 'body.ftl'), path.join(dir, side, 'body.ftl'));
    }
    fs.writeFileSync(path.join(dir, 'old', 'identify.ftl'), '{\n  "id": "${input.user_id}"\n}\n');
    fs.writeFileSync(path.join(dir, 'new', 'identify.ftl'), '{\n  "id": "${input.user_id}",\n  "v": 2\n}\n');
    const result = run(['diff', path.join(dir, 'old', 'm.amplitude.json'), path.join(dir, 'new', 'm.amplitude.json')]);
    assert.match(result.stdout, /identify body template "identify.ftl" changed \(lines 2–3 changed, line 2 before\)/);
    assert.doesNotMatch(result.stdout, /event body template/);
  });
});

describe('diff findings: risky-change and safe-change, where the change is', () => {
  const list = readExample('list');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-diff-codes-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `diff old new --format json` in process: each finding with the text of the new version under its range. */
  async function diffFindings(before: string, afterText: string) {
    const [oldFile, newFile] = [path.join(dir, 'old.amplitude.json'), path.join(dir, 'new.amplitude.json')];
    fs.writeFileSync(oldFile, before);
    fs.writeFileSync(newFile, afterText);
    let out = '';
    let summary = '';
    const io = { out: (text: string) => (out += text), err: (text: string) => (summary += text) };
    const status = await diffCommand([oldFile, newFile, '--format', 'json', '--fail-on', 'risky'], io);
    const lines = analyzeManifest(afterText).doc.lines;
    const findings = (JSON.parse(out || '[]') as FileDiagnostic[]).map((d) => ({
      code: d.code,
      severity: d.severity,
      text: afterText.slice(lines.offsetAt(d.range.start), lines.offsetAt(d.range.end)),
      message: d.message,
    }));
    return { status, summary, findings };
  }

  /** The text of the JSON value that starts right after `key` (an object or array), as the new version holds it. */
  function valueAfter(text: string, key: string, close: string): string {
    const start = text.indexOf(key) + key.length;
    return text.slice(start, text.indexOf(close, start) + close.length);
  }

  it('no change: no finding, exit 0', async () => {
    const { status, findings } = await diffFindings(list, list);
    assert.deepEqual(findings, []);
    assert.equal(status, 0);
  });

  it('risky-change: a warning on the payload that changed, failing --fail-on risky', async () => {
    const changed = mutate(list, '"source": "amplitude"', '"source": "amp"');
    const { status, summary, findings } = await diffFindings(list, changed);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.text]),
      [['risky-change', 'warning', valueAfter(changed, '"payload": ', '\n      }')]],
    );
    assert.match(findings[0].message, /^risky: List creation: the payload changed: your API must accept the new shape/);
    assert.equal(status, 1);
    assert.match(summary, /1 change\(s\): 0 breaking, 1 risky, 0 safe/);
  });

  it('risky-change: a new header goes with every call of every existing sync', async () => {
    const changed = mutate(
      list,
      '"X-Pushwave-Workspace": "$workspace_id"',
      '"X-Pushwave-Workspace": "$workspace_id",\n    "X-Pushwave-Client": "amplitude"',
    );
    const { findings } = await diffFindings(list, changed);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.text]),
      [['risky-change', 'warning', valueAfter(changed, '"headers": ', '\n  }')]],
    );
    assert.match(findings[0].message, /^risky: The additional headers changed/);
  });

  it('safe-change: information on a new option, which --fail-on risky lets through', async () => {
    const changed = mutate(
      list,
      '{ "label": "EU", "value": "eu" }',
      '{ "label": "EU", "value": "eu" }, { "label": "AU", "value": "au" }',
    );
    const { status, summary, findings } = await diffFindings(list, changed);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.text]),
      [['safe-change', 'information', valueAfter(changed, '"options": ', '\n      ]')]],
    );
    assert.match(findings[0].message, /^safe: Custom field "region" offers new option\(s\) "au"/);
    assert.equal(status, 0);
    assert.match(summary, /1 change\(s\): 0 breaking, 0 risky, 1 safe/);
  });

  it('safe-change: a new summary on the tile', async () => {
    const changed = list.replace(/"summary": "[^"]*"/, '"summary": "Push Amplitude cohorts to Pushwave audiences."');
    const { findings } = await diffFindings(list, changed);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.text]),
      [['safe-change', 'information', valueAfter(changed, '"connection": ', '\n  }')]],
    );
    assert.match(findings[0].message, /^safe: Connection info changed/);
  });
});
