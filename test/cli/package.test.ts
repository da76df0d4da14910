import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import { REPO } from '../helpers/lspClient';
import { EXAMPLES } from '../helpers/manifests';

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  assert.equal(result.status, 0, `npm ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The installed CLI through npx, as a partner's CI calls it, without blocking this process (the mock runs here). */
function npx(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['--no-install', 'amplitude-integration', ...args], {
      cwd,
      env: { ...process.env, GITHUB_ACTIONS: '', ...env },
    });
    let out = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => resolve({ code, out, stdout }));
  });
}

describe('the npm package: npm pack, installed into an empty folder, runs the CLI', function () {
  this.timeout(240_000);
  let pack: PackResult;
  let project: string;
  let mock: MockPartner;
  const TOKEN = 'pack-token';

  before(async () => {
    const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-pack-'));
    [pack] = JSON.parse(npm(['pack', '--json', '--pack-destination', destination], REPO)) as PackResult[];
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-install-'));
    fs.writeFileSync(path.join(project, 'package.json'), '{ "private": true }\n');
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(destination, pack.filename)], project);
    fs.cpSync(EXAMPLES, path.join(project, 'integrations'), { recursive: true });
    mock = await startMockPartner({ auth: { bearer: TOKEN }, listIdPath: 'audience.id' });
  });
  after(() => mock?.close());

  it('is small and holds the built product only: no sources, tests, benches or source maps', () => {
    const files = pack.files.map((f) => f.path);
    // 3.5 MB: the description-driven mock's bundle (Prism, about 0.5 MB packed) is loaded only on demand.
    assert.ok(pack.size < 3.5 * 1024 * 1024, `${pack.size} bytes packed`);
    for (const required of [
      'dist/cli.js',
      'dist/description-mock.js',
      'dist/mock-server.js',
      'dist/render-thread.js',
      'dist/freemarker/amplitude-freemarker-worker.jar',
    ])
      assert.ok(files.includes(required), `${required} in ${files.join(' ')}`);
    for (const required of ['README.md', 'LICENSE', 'CHANGELOG.md', 'schemas/integration-manifest.schema.json'])
      assert.ok(files.includes(required), required);
    const unwanted = files.filter((f) => /^(server|test|bench|out|scripts)\/|\.ts$|\.map$|\.vsix$/.test(f));
    assert.deepEqual(unwanted, []);
  });

  it('npx amplitude-integration validate, with SARIF, on a clean project', async () => {
    const version = await npx(project, ['--version']);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
    const result = await npx(project, ['validate', 'integrations', '--format', 'sarif', '--output', 'report.sarif']);
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /4 manifests checked: 0 errors/);
    assert.equal(JSON.parse(fs.readFileSync(path.join(project, 'report.sarif'), 'utf8')).version, '2.1.0');
  });

  it('npx amplitude-integration test and simulate against a mock, as JUnit', async () => {
    const manifest = path.join('integrations', 'list-based', 'pushwave-lists.amplitude.json');
    const env = {
      AMPLITUDE_VALUE_BEARER_TOKEN: TOKEN,
      AMPLITUDE_VALUE_WORKSPACE_ID: 'ws-1',
      AMPLITUDE_VALUE_REGION: 'us',
    };
    const test = await npx(project, ['test', manifest, '--target', mock.url, '--format', 'junit'], env);
    assert.equal(test.code, 0, test.out);
    assert.match(
      test.out,
      /<testsuite name="amplitude-integration test pushwave-lists.amplitude.json" tests="3" failures="0"/,
    );
    const simulate = await npx(project, ['simulate', manifest, '--target', mock.url, '--users', '25'], env);
    assert.equal(simulate.code, 0, simulate.out);
  });

  it('npx amplitude-integration simulate --api-description, with the packaged description mock', async () => {
    const partner = path.join(REPO, 'test', 'fixtures', 'partners', 'klaviyo-lists');
    const folder = path.join(project, 'klaviyo');
    fs.cpSync(partner, folder, { recursive: true });
    fs.copyFileSync(
      path.join(REPO, 'test', 'fixtures', 'descriptions', 'klaviyo-lists.openapi.yaml'),
      path.join(folder, 'openapi.yaml'),
    );
    const args = [
      'simulate',
      'klaviyo/klaviyo-lists.amplitude.json',
      '--values',
      'klaviyo/values.json',
      '--users',
      '50',
    ];
    const result = await npx(project, [...args, '--api-description', 'klaviyo/openapi.yaml']);
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /Playing the API description openapi\.yaml/);
    assert.match(result.out, /end state verified: list Y6nRLr holds the 45 expected users/);
  });

  it('npx amplitude-integration render, with the packaged FreeMarker worker', async () => {
    const template = path.join('integrations', 'event-streaming', 'body.ftl');
    const manifest = path.join('integrations', 'event-streaming', 'beacon-events.amplitude.json');
    const result = await npx(project, ['render', template, '--manifest', manifest, '--sample', 'Email Click']);
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /"Email Click"/);
  });
});
