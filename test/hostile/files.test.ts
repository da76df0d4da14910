import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { startMockPartner, type MockPartner } from '../../server/src/mock/mockPartner';
import { RenderTemplateRequest } from '../../server/src/protocol';
import { exampleWorkspace, runCliProcess } from '../helpers/cli';
import { LspTestClient } from '../helpers/lspClient';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';
import { buildModel } from '../../server/src/manifest/model';
import { parseManifest } from '../../server/src/manifest/document';

/** What /etc/passwd starts with on every Linux: if it shows up anywhere, the file left the workspace. */
const PASSWD_LINE = fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0];

function streamingWith(bodyTemplate: string, extra: (dir: string) => void = () => undefined): string {
  const text = mutate(
    readExample('streaming'),
    '"bodyTemplate": "body.ftl"',
    `"bodyTemplate": ${JSON.stringify(bodyTemplate)}`,
  );
  const file = exampleWorkspace(EXAMPLE_FILES.streaming, text);
  extra(path.dirname(file));
  return file;
}

/** The ways a template can point at /etc/passwd: climbing out, absolute, and a symlink inside the workspace. */
function passwdManifests(): { name: string; file: string }[] {
  const probe = streamingWith('x.ftl');
  const climb = path.relative(path.dirname(probe), '/etc/passwd');
  return [
    { name: 'a relative path climbing out', file: streamingWith(climb) },
    { name: 'an absolute path', file: streamingWith('/etc/passwd') },
    {
      name: 'a symlink inside the folder',
      file: streamingWith('link.ftl', (dir) => fs.symlinkSync('/etc/passwd', path.join(dir, 'link.ftl'))),
    },
  ];
}

describe('hostile input: files outside the workspace are never read', function () {
  this.timeout(60_000);
  let mock: MockPartner;
  before(async () => {
    const doc = parseManifest(readExample('streaming'));
    mock = await startMockPartner({ manifest: buildModel(doc) });
  });
  after(() => mock.close());

  for (const { name, file } of passwdManifests()) {
    it(`validate says file-not-local and prints nothing of it (${name})`, async () => {
      const result = await runCliProcess(['validate', file, '--format', 'json']);
      assert.strictEqual(result.code, 1, result.stderr);
      assert.ok(!result.stdout.includes(PASSWD_LINE) && !result.stderr.includes(PASSWD_LINE));
      const codes = (JSON.parse(result.stdout) as { code: string }[]).map((d) => d.code);
      assert.ok(codes.includes('file-not-local'), codes.join(', '));
      assert.ok(!codes.includes('output-not-json'), 'the template was rendered');
    });

    it(`test sends nothing and says why (${name})`, async () => {
      const before = (mock.state() as { events: { received: number } }).events.received;
      const result = await runCliProcess(['test', file, '--target', mock.url], {
        env: { AMPLITUDE_VALUE_API_KEY: 'k', AMPLITUDE_VALUE_REGION: 'us', AMPLITUDE_VALUE_APP_ID: 'a' },
      });
      assert.notStrictEqual(result.code, 0);
      assert.match(result.stderr, /outside the workspace|relative to the manifest|link to a file outside/);
      assert.ok(!result.stdout.includes(PASSWD_LINE) && !result.stderr.includes(PASSWD_LINE));
      assert.strictEqual(
        (mock.state() as { events: { received: number } }).events.received,
        before,
        'a request was sent',
      );
    });
  }

  it('the language server refuses amplitude/renderTemplate outside its workspace folders', async () => {
    const folder = path.dirname(streamingWith('body.ftl'));
    const client = new LspTestClient(folder);
    try {
      await client.initialize();
      for (const uri of [
        'file:///etc/passwd',
        'file:///proc/self/environ',
        pathToFileURL(path.join(folder, '..', '..', 'x.ftl')).toString(),
      ]) {
        const answer = await client.request(RenderTemplateRequest, {
          uri,
        });
        assert.ok(answer && !answer.ok, `${uri} rendered`);
        assert.match(answer.error?.message ?? '', /outside the workspace/);
        assert.ok(!JSON.stringify(answer).includes(PASSWD_LINE));
        assert.ok(!JSON.stringify(answer).includes('PATH='), 'the environment leaked');
      }
      const inside = await client.request(RenderTemplateRequest, {
        uri: pathToFileURL(path.join(folder, 'body.ftl')).toString(),
      });
      assert.ok(inside?.ok, inside?.error?.message);
    } finally {
      await client.stop();
    }
  });
});

describe('hostile input: special files end at once with a clear error', function () {
  this.timeout(60_000);
  const fifoIn = (dir: string, name: string) => execFileSync('mkfifo', [path.join(dir, name)]);

  it('a template that is a FIFO in the workspace, or a link to /dev/zero: validate, test and preview end', async () => {
    const fifo = streamingWith('pipe.ftl', (dir) => fifoIn(dir, 'pipe.ftl'));
    const zero = streamingWith('zero.ftl', (dir) => fs.symlinkSync('/dev/zero', path.join(dir, 'zero.ftl')));
    for (const file of [fifo, zero]) {
      for (const args of [
        ['validate', file],
        ['test', file, '--target', 'http://127.0.0.1:9'],
        ['preview', file, '--out', `${file}.html`],
      ]) {
        const result = await runCliProcess(args, { timeoutMs: 15_000 });
        assert.ok(!result.timedOut, `${args.join(' ')} hung`);
        assert.ok(result.ms < 10_000, `${args[0]} took ${result.ms} ms`);
        if (args[0] === 'validate') assert.match(result.stdout, /file-unreadable|file-not-local/);
      }
    }
  });

  it('render of /dev/zero, a FIFO, or a manifest that is a FIFO: refused, not read', async () => {
    const dir = path.dirname(streamingWith('body.ftl'));
    fifoIn(dir, 'named.ftl');
    fifoIn(dir, 'pipe.amplitude.json');
    const cases: [string[], RegExp][] = [
      [['render', '/dev/zero'], /not a regular file/],
      [['render', path.join(dir, 'named.ftl')], /not a regular file/],
      [['validate', path.join(dir, 'pipe.amplitude.json')], /not a regular file/],
    ];
    for (const [args, expected] of cases) {
      const result = await runCliProcess(args, { timeoutMs: 15_000 });
      assert.ok(!result.timedOut, `${args.join(' ')} hung`);
      assert.strictEqual(result.code, 2);
      assert.match(result.stderr, expected);
    }
  });

  it('the language server answers renderTemplate for a FIFO at once', async () => {
    const folder = path.dirname(streamingWith('body.ftl'));
    fifoIn(folder, 'pipe.ftl');
    const client = new LspTestClient(folder);
    try {
      await client.initialize();
      const started = Date.now();
      const answer = await client.request(RenderTemplateRequest, {
        uri: pathToFileURL(path.join(folder, 'pipe.ftl')).toString(),
      });
      assert.ok(answer && !answer.ok);
      assert.match(answer.error?.message ?? '', /not a regular file/);
      assert.ok(Date.now() - started < 5000);
    } finally {
      await client.stop();
    }
  });
});

describe('hostile input: file references', () => {
  it('a logo or step image linked out of the workspace is file-not-local; "..foo.png" is inside', async () => {
    const file = exampleWorkspace(EXAMPLE_FILES.ingestion);
    const dir = path.dirname(file);
    fs.symlinkSync('/etc/hostname', path.join(dir, 'outside.png'));
    fs.copyFileSync(path.join(dir, 'logo.png'), path.join(dir, '..dots.png'));
    let text = fs.readFileSync(file, 'utf8').replace('"logo": "logo.png"', '"logo": "..dots.png"');
    text = text.replace('"image": "images/step-1.png"', '"image": "outside.png"');
    fs.writeFileSync(file, text);
    const result = await runCliProcess(['validate', file, '--format', 'json']);
    const found = JSON.parse(result.stdout) as { code: string; message: string }[];
    assert.deepStrictEqual(
      found.map((d) => d.code),
      ['file-not-local'],
      JSON.stringify(found),
    );
    assert.match(found[0].message, /link to a file outside the workspace/);
  });
});
