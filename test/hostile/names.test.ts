import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { buildRequests, RequestBuildError } from '../../server/src/testing/request';
import { parseUsersCsv } from '../../server/src/testing/cohort/usersCsv';
import { DEFAULT_TEST_VALUES } from '../../server/src/testing/values';
import { emptyRecord } from '../../server/src/base/records';
import { CLI, exampleWorkspace, runCliProcess } from '../helpers/cli';
import { analyzeAs, EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

/** Names every JavaScript object already has. */
const NAMES = ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'];

function withFields(names: string[]): string {
  const fields = names.map((n) => `{ "variable": "${n}", "displayName": "${n}", "type": "string" }`).join(', ');
  const used = names.map((n) => `"${n}": "$${n}"`).join(', ');
  let text = mutate(readExample('list'), '"customFields": [', `"customFields": [${fields}, `);
  text = mutate(text, '"source": "amplitude",', `"source": "amplitude", ${used},`);
  return mutate(
    text,
    '"url": "https://api.$region.pushwave.example/v2/audiences",',
    `"url": "https://api.$region.pushwave.example/v2/audiences?c=$constructor",`,
  );
}

describe('hostile input: names that every object has', () => {
  const analysis = analyzeAs('list', withFields(NAMES));

  it('validates like any other name', () => {
    assert.deepStrictEqual(
      analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
      [],
    );
  });

  it('without test values: "no test value" for each, nothing sent as undefined', () => {
    const variables = emptyRecord<string>();
    Object.assign(variables, { bearer_token: 't', workspace_id: 'w', region: 'us' });
    assert.throws(
      () =>
        buildRequests(analysis.model, 'listCreation', {
          values: { ...DEFAULT_TEST_VALUES, variables },
        }),
      (e: unknown) =>
        e instanceof RequestBuildError && NAMES.every((n) => e.message.includes(`no test value for $${n}`)),
    );
  });

  it('with test values: each sent as its own value, in URL, headers and body', () => {
    const variables = emptyRecord<string>();
    Object.assign(variables, { bearer_token: 't', workspace_id: 'w', region: 'us' });
    for (const n of NAMES) variables[n] = `value of ${n}`;
    const [request] = buildRequests(analysis.model, 'listCreation', {
      values: { ...DEFAULT_TEST_VALUES, variables },
    });
    const body = JSON.parse(request.body) as Record<string, unknown>;
    for (const n of NAMES) assert.strictEqual(Object.getOwnPropertyDescriptor(body, n)?.value, `value of ${n}`, n);
    assert.match(request.url, /\?c=value%20of%20constructor$/);
    assert.ok(!/undefined|function/.test(request.body + request.url));
  });

  it('a CSV column named __proto__ or constructor is a column like any other', () => {
    const csv = parseUsersCsv('operation,user_id_field_amplitude,constructor\nadd,u1,c1\n');
    assert.strictEqual(csv.add[0].fields.constructor, 'c1');
    assert.strictEqual(csv.add[0].fields.user_id_field_amplitude, 'u1');
  });

  it('a field named like a pre-defined variable is refused (shadows-predefined)', () => {
    for (const name of ['items', 'list_id', 'amp_cohort_name', 'listId']) {
      const text = mutate(readExample('list'), '"variable": "workspace_id"', `"variable": "${name}"`);
      assert.ok(
        analyzeAs('list', text).diagnostics.some((d) => d.code === 'shadows-predefined'),
        name,
      );
    }
  });
});

describe('hostile input: command-line arguments', function () {
  this.timeout(30_000);
  const manifest = exampleWorkspace(EXAMPLE_FILES.list);

  it('render --timeout abc, test --target not-a-url, simulate --users -1: a usage error naming the option', async () => {
    const template = path.join(path.dirname(EXAMPLE_FILES.streaming), 'body.ftl');
    const cases: [string[], RegExp][] = [
      [['render', template, '--timeout', 'abc'], /--timeout must be a positive number, not "abc"/],
      [['test', manifest, '--target', 'not-a-url'], /--target must be an absolute http\(s\) URL/],
      [['simulate', manifest, '--users=-1'], /--users must be a whole number/],
      [['test', manifest, '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, expected] of cases) {
      const result = await runCliProcess(args);
      assert.strictEqual(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, expected);
    }
  });

  it('preview --out the manifest itself is refused; the manifest is untouched', async () => {
    const before = fs.readFileSync(manifest, 'utf8');
    for (const out of [manifest, manifest.replace('.amplitude.json', '.txt')]) {
      const result = await runCliProcess(['preview', manifest, '--out', out]);
      assert.strictEqual(result.code, 2, result.stderr);
    }
    assert.strictEqual(fs.readFileSync(manifest, 'utf8'), before);
  });

  it('simulate --users 100000000: a dry run is refused; a real run makes its users a batch at a time', async () => {
    const dry = await runCliProcess(['simulate', manifest, '--users', '100000000', '--dry-run']);
    assert.strictEqual(dry.code, 2);
    assert.match(dry.stderr, /at most 1000000 users/);
    // A partner that accepts everything; the sync runs for a few seconds while its memory is watched.
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ audience: { id: 'l1' } })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const child = spawn(process.execPath, [CLI, 'simulate', manifest, '--users', '100000000', '--target', target], {
      env: {
        ...process.env,
        AMPLITUDE_VALUE_BEARER_TOKEN: 't',
        AMPLITUDE_VALUE_WORKSPACE_ID: 'w',
        AMPLITUDE_VALUE_REGION: 'us',
      },
      stdio: 'ignore',
    });
    let peak = 0;
    try {
      for (let i = 0; i < 20; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      }
    } finally {
      child.kill('SIGKILL');
      server.close();
    }
    assert.ok(peak > 0 && peak < 400, `simulate's RSS reached ${peak.toFixed(0)} MB`);
  });
});
