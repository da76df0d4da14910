import * as assert from 'assert';
import { spawnSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import { buildRequests } from '../../server/src/testing/request';
import { retarget, testEndpoint } from '../../server/src/testing/endpointTest';
import { simulateSync } from '../../server/src/testing/cohort/simulate';
import { renderResponseHtml } from '../../client/src/testEndpoint/html';
import { EndpointSender, DEFAULT_SEND_OPTIONS } from '../../server/src/testing/send';
import { DEFAULT_TEST_VALUES } from '../../server/src/testing/values';
import { REPO } from '../helpers/lspClient';
import { analyzeAs, EXAMPLE_FILES, readExample } from '../helpers/manifests';

const TOKEN = 'tok-SECRET-7f3a';
const values = { ...DEFAULT_TEST_VALUES, variables: { bearer_token: TOKEN, workspace_id: 'ws-1', region: 'us' } };
const CLI = path.join(REPO, 'dist', 'cli.js');

function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('close', (code) => resolve({ code, out, ms: Date.now() - started }));
  });
}

describe('Test Endpoint against the mock partner server', () => {
  let mock: MockPartner;
  let valuesFile: string;
  before(async () => {
    mock = await startMockPartner({ auth: { bearer: TOKEN }, listIdPath: 'audience.id' });
    valuesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-values-')), 'values.json');
    fs.writeFileSync(valuesFile, JSON.stringify({ workspace_id: 'ws-1', region: 'us' }));
  });
  after(() => mock.close());
  afterEach(() => mock.setBehaviour({ kind: 'ok' }));

  const cli = (extra: string[]) =>
    runCli(['test', EXAMPLE_FILES.list, '--values', valuesFile, '--target', mock.url, '--timeout', '1000', ...extra], {
      AMPLITUDE_VALUE_BEARER_TOKEN: TOKEN,
    });

  it('creates a list, reads its id with listIdPath, and prints no secret', async () => {
    const result = await cli(['--endpoint', 'listCreation']);
    assert.strictEqual(result.code, 0, result.out);
    assert.match(result.out, /200 OK/);
    assert.match(result.out, /list id: "list-\d+"/);
    assert.ok(!result.out.includes(TOKEN));
    const json = await cli(['--endpoint', 'listCreation', '--format', 'json']);
    assert.ok(!json.out.includes(TOKEN), 'JSON output masks the token');
    assert.match(json.out, /"Authorization": "Bearer ••••••••"/);
  });

  const misbehaviours: {
    name: string;
    behaviour: Parameters<MockPartner['setBehaviour']>[0];
    expect: RegExp;
    panel?: RegExp;
  }[] = [
    {
      name: 'a status with a sub error code',
      behaviour: { kind: 'status', status: 400, body: { error_code: 1001 } },
      expect: /400 Bad Request[\s\S]*classified as "Audience limit reached"/,
      panel: /Received 400 Bad Request Classified: Audience limit reached Your Pushwave plan/,
    },
    {
      name: 'an unclassified status',
      behaviour: { kind: 'status', status: 503 },
      expect:
        /503 Service Unavailable[\s\S]*unclassified: This cohort sync has encountered an unidentified kind of error/,
      panel:
        /Received 503 Service Unavailable Unclassified This cohort sync has encountered an unidentified kind of error/,
    },
    { name: 'a slow answer', behaviour: { kind: 'slow', delayMs: 4000 }, expect: /sent no response within 1000 ms/ },
    {
      name: 'a huge body',
      behaviour: { kind: 'huge', bytes: 30 * 1024 * 1024 },
      expect: /\(truncated\)/,
      panel: /1000000 bytes \(truncated at the size limit\)/,
    },
    { name: 'a reset connection', behaviour: { kind: 'reset' }, expect: /closed the connection before answering/ },
    { name: 'invalid JSON', behaviour: { kind: 'invalid-json' }, expect: /not JSON, so "audience.id" cannot be read/ },
    {
      name: '429 with Retry-After',
      behaviour: { kind: 'rate-limit', retryAfterSeconds: 30 },
      expect: /429 Too Many Requests[\s\S]*Retry-After: 30[\s\S]*"Rate limited"/,
      panel: /Received 429 Too Many Requests Classified: Rate limited[\s\S]*Retry-After: 30/,
    },
    { name: 'a redirect loop', behaviour: { kind: 'redirect-loop' }, expect: /302 Found[\s\S]*not followed/ },
    {
      name: 'a body that stalls',
      behaviour: { kind: 'stall-body' },
      expect: /stopped sending the response body/,
    },
  ];
  for (const m of misbehaviours) {
    it(`ends with a readable result, within the timeouts, on ${m.name}`, async () => {
      mock.setBehaviour(m.behaviour);
      const result = await cli(['--endpoint', 'listCreation', '--max-bytes', '1000000']);
      assert.match(result.out, m.expect);
      assert.strictEqual(result.code, 1, 'a failed test exits 1');
      assert.ok(result.ms < 8000, `finished in ${result.ms} ms`);
      assert.ok(!result.out.includes(TOKEN));
      assert.doesNotMatch(result.out, /\n\s+at /, 'no stack trace');
    });
  }

  /** The response panel's text, as a person reads it (tags dropped, entities decoded). */
  const panelText = (html: string) =>
    html
      .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ');

  for (const m of misbehaviours) {
    it(`the response panel ends with a readable result, within the timeouts, on ${m.name}`, async () => {
      mock.setBehaviour(m.behaviour);
      const analysis = analyzeAs('list', readExample('list'));
      const sender = new EndpointSender({
        ...DEFAULT_SEND_OPTIONS,
        connectTimeoutMs: 1000,
        headersTimeoutMs: 1000,
        bodyTimeoutMs: 1000,
        maxResponseBytes: 1_000_000,
      });
      const started = Date.now();
      try {
        // What the panel is given: the Test Endpoint command's own call, then its renderer.
        const result = await testEndpoint(analysis, 'listCreation', { values, target: mock.url }, sender);
        const html = renderResponseHtml(
          {
            title: 'Pushwave: listCreation',
            request: result.request,
            batches: result.batches,
            result: result.result,
            classification: result.classification,
            listId: result.listId,
          },
          'NONCE',
          'vscode-resource:',
        );
        const text = panelText(html);
        assert.match(text, m.panel ?? m.expect);
        assert.ok(!html.includes(TOKEN), 'no secret in the panel');
        assert.ok(Date.now() - started < 8000, `finished in ${Date.now() - started} ms`);
      } finally {
        await sender.close();
      }
    });
  }

  it('refused connections and unknown hosts are explained', async () => {
    const refused = await runCli(
      ['test', EXAMPLE_FILES.list, '--values', valuesFile, '--target', 'http://127.0.0.1:9'],
      { AMPLITUDE_VALUE_BEARER_TOKEN: TOKEN },
    );
    assert.match(refused.out, /refused the connection/);
    assert.strictEqual(refused.code, 1);
  });

  it('can be cancelled', async () => {
    mock.setBehaviour({ kind: 'slow', delayMs: 10_000 });
    const analysis = analyzeAs('list', readExample('list'));
    const sender = new EndpointSender(DEFAULT_SEND_OPTIONS);
    const [request] = buildRequests(analysis.model, 'listCreation', { values });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await sender.send(retarget(request, mock.url), controller.signal);
    await sender.close();
    assert.ok(!result.ok && result.code === 'cancelled');
    assert.ok(result.timing.totalMs < 2000);
  });

  it('simulates a sync: batches, 4 in flight, membership kept by the mock', async () => {
    const analysis = analyzeAs('list', readExample('list'));
    const sender = new EndpointSender();
    const summary = await simulateSync(analysis, { values, add: 25_000, remove: 5_000, target: mock.url }, sender);
    await sender.close();
    assert.strictEqual(summary.problem, undefined);
    assert.strictEqual(summary.requests, 1 + 3 + 1);
    assert.deepStrictEqual(summary.statusCounts, { 200: 5 });
    assert.strictEqual(mock.state().lists[summary.listId ?? ''].length, 20_000);
  });

  it('simulates a property-based sync: update calls with membership true for the added users, then false for the removed', async () => {
    const property = analyzeAs('property', readExample('property'));
    const propertyValues = {
      ...DEFAULT_TEST_VALUES,
      variables: { api_key: 'k', api_secret: 's', account_subdomain: 'acme', attribute_prefix: 'amp_' },
    };
    const crm = await startMockPartner({ auth: { basic: { key: 'k', secret: 's' } } });
    const sender = new EndpointSender();
    const summary = await simulateSync(
      property,
      { values: propertyValues, add: 12_000, remove: 3_000, target: crm.url },
      sender,
    );
    await sender.close();
    const properties = crm.state().properties;
    await crm.close();
    assert.strictEqual(summary.problem, undefined);
    assert.deepStrictEqual(summary.statusCounts, { 200: 3 + 1 }); // batches of 5,000
    assert.strictEqual(properties['user-000001@example.com'], false, 'removed: its property was set to false');
    assert.strictEqual(properties['user-003001@example.com'], true, 'added and kept');
    assert.strictEqual(Object.values(properties).filter((v) => v).length, 9_000);
  });

  it('simulate CLI prints a summary with classified errors', async () => {
    mock.setBehaviour({ kind: 'status', status: 401 });
    const result = await runCli(
      [
        'simulate',
        EXAMPLE_FILES.list,
        '--values',
        valuesFile,
        '--target',
        mock.url,
        '--users',
        '100',
        '--list-id',
        'list-1',
      ],
      { AMPLITUDE_VALUE_BEARER_TOKEN: TOKEN },
    );
    assert.strictEqual(result.code, 1);
    assert.match(result.out, /classified error "401 Unauthorized \(bad API token\)" x2/);
  });

  it("simulate CLI takes adds and removes from a CSV in the portal's format", async () => {
    const csv = path.join(path.dirname(valuesFile), 'users.csv');
    fs.writeFileSync(
      csv,
      'operation,user_id_field_amplitude,amp_cohort_name,amp_cohort_id\nadd,u1,C,c1\nadd,u2,C,c1\nadd,u3,C,c1\nremove,u2,C,c1\n',
    );
    const result = await runCli(
      [
        'simulate',
        EXAMPLE_FILES.list,
        '--values',
        valuesFile,
        '--target',
        mock.url,
        '--users-csv',
        csv,
        '--format',
        'json',
      ],
      { AMPLITUDE_VALUE_BEARER_TOKEN: TOKEN },
    );
    assert.strictEqual(result.code, 0, result.out);
    const summary = JSON.parse(result.out) as { listId: string; users: { added: number; removed: number } };
    assert.deepStrictEqual(summary.users, { added: 3, removed: 1 });
    assert.deepStrictEqual(mock.state().lists[summary.listId], ['u1', 'u3']);
  });

  it('the mock server runs as its own process', () => {
    const result = spawnSync(process.execPath, [path.join(REPO, 'dist', 'mock-server.js'), '--help'], {
      encoding: 'utf8',
    });
    assert.strictEqual(result.status, 0);
    assert.match(result.stdout, /mock partner API/i);
  });
});
