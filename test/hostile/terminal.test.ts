import * as assert from 'assert';
import * as path from 'path';
import { terminalText, withoutControls } from '../../server/src/base/terminal';
import { makeWorkspace, runCliProcess } from '../helpers/cli';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

/** Terminal escapes (title, OSC 52 clipboard, line erase, a lone C1 CSI), workflow commands and bidi controls. */
const HOSTILE_KEY =
  '\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2K\x1b[31m\u009b2J\r\n::add-mask::x\n  ::error::forged \u202eevil\u2066';

/** The list example with the hostile text as an unknown key, a header name and a header value. */
function hostileManifest(): string {
  const key = JSON.stringify(HOSTILE_KEY);
  let text = readExample('list');
  text = mutate(text, '"slugifyCohortName": true,', `"slugifyCohortName": true, ${key}: 1,`);
  return mutate(text, '"Content-Type": "application/json",', `"Content-Type": "application/json", "X-H": ${key},`);
}

/** What must never reach a terminal or a CI log: a control character, a C1 or bidi control, a `::` line start. */
function unsafe(output: string): string[] {
  const found: string[] = [];
  // eslint-disable-next-line no-control-regex
  for (const m of output.matchAll(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g))
    found.push(`U+${m[0].charCodeAt(0).toString(16)} at ${m.index}`);
  for (const m of output.matchAll(/^\s*::.*$/gm)) found.push(`workflow command: ${m[0]}`);
  return found;
}

describe('hostile input: no terminal escape or workflow command reaches the terminal', function () {
  this.timeout(60_000);
  const name = 'x\x1b]0;title\x07#b.amplitude.json';
  const root = makeWorkspace({ [`integration/${name}`]: hostileManifest() });
  const file = path.join(root, 'integration', name);
  const env = { AMPLITUDE_VALUE_BEARER_TOKEN: 't', AMPLITUDE_VALUE_WORKSPACE_ID: 'w', AMPLITUDE_VALUE_REGION: 'us' };

  for (const format of ['text', 'json', 'sarif', 'junit']) {
    it(`validate --format ${format} shows the hostile key and file name escaped`, async () => {
      const run = await runCliProcess(['validate', path.join(root, 'integration'), '--format', format]);
      const output = run.stdout + run.stderr;
      assert.match(output, /unknown-property/, output);
      assert.deepStrictEqual(unsafe(output), [], output);
      if (format === 'text') assert.ok(output.includes('\\x1b]52;c;'), 'the sequence is shown, escaped');
      if (format === 'json' || format === 'sarif') JSON.parse(run.stdout);
    });
  }

  it('validate --format github writes only its own workflow commands, the hostile text escaped', async () => {
    const run = await runCliProcess(['validate', file, '--format', 'github']);
    const commands = run.stdout.split('\n').filter((line) => /^\s*::/.test(line));
    assert.ok(commands.length > 0, run.stdout);
    for (const line of commands) assert.match(line, /^::(error|warning|notice) file=/, line);
    assert.deepStrictEqual(
      unsafe(run.stdout).filter((u) => !u.startsWith('workflow command')),
      [],
      run.stdout,
    );
  });

  it('SARIF percent-encodes the file name: the URI reads back to the file', async () => {
    const run = await runCliProcess(['validate', file, '--format', 'sarif']);
    const sarif = JSON.parse(run.stdout) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uri = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    assert.strictEqual(new URL(uri, 'file:///').pathname.split('/').map(decodeURIComponent).pop(), name);
    assert.ok(!uri.includes('#'), uri);
  });

  for (const args of [['--dry-run'], ['--dry-run', '--format', 'json']]) {
    it(`test ${args.join(' ')} prints the hostile header escaped`, async () => {
      const run = await runCliProcess(['test', file, '--endpoint', 'listCreation', ...args], { env });
      const output = run.stdout + run.stderr;
      assert.match(output, /X-H/, output);
      assert.deepStrictEqual(unsafe(output), [], output);
    });
  }

  it('a bad command line names the hostile file escaped on stderr', async () => {
    const run = await runCliProcess(['test', path.join(root, `missing\x1b[2K\n::add-mask::y.amplitude.json`)]);
    assert.notStrictEqual(run.code, 0);
    assert.deepStrictEqual(unsafe(run.stdout + run.stderr), [], run.stderr);
  });

  it('the printer keeps our own colour codes and nothing else', () => {
    assert.strictEqual(withoutControls('\x1b[31merror\x1b[0m\x1b]0;t\x07', true), '\x1b[31merror\x1b[0m\\x1b]0;t\\x07');
    assert.strictEqual(terminalText('\x1b[31merror\x1b[0m'), '\\x1b[31merror\\x1b[0m');
    assert.strictEqual(terminalText(' \t::warning::x'), ' \t\\::warning::x');
  });
});

describe('hostile input: no control or bidi character in a diagnostic the editor shows, over LSP', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  before(async () => {
    client = new LspTestClient();
    await client.initialize();
  });
  after(() => client.stop());

  it('the unknown key is named escaped in the Problems view', async () => {
    const uri = fileUri(path.join(path.dirname(EXAMPLE_FILES.list), 'hostile-terminal.amplitude.json'));
    const diagnostics = await client.open(uri, hostileManifest());
    const unknown = diagnostics.find((d) => d.code === 'unknown-property');
    assert.ok(unknown, JSON.stringify(diagnostics));
    const text = (d: { message: string | { value: string } }) =>
      typeof d.message === 'string' ? d.message : d.message.value;
    assert.ok(text(unknown).includes('\\x1b]52;c;'), text(unknown));
    for (const d of diagnostics) assert.deepStrictEqual(unsafe(text(d).replace(/\n/g, ' ')), [], text(d));
  });
});
