import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileUri, LspTestClient, REPO } from '../helpers/lspClient';
import { analyzeAs, EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

interface Mutation {
  name: string;
  kind: keyof typeof EXAMPLE_FILES;
  from: string;
  to: string;
  expect: { code: string; text: string }[];
}

/** Broken manifests made from the examples: the CLI and the server must agree on codes and ranges. */
const MUTATIONS: Mutation[] = [
  {
    name: 'an unknown variable put into a URL',
    kind: 'list',
    from: 'audiences/$list_id/members"',
    to: 'audiences/$list_id/members?tag=$campaign"',
    expect: [{ code: 'undeclared-variable', text: '$campaign' }],
  },
  {
    name: 'a declaration made unused',
    kind: 'property',
    from: '"attribute": "$attribute_prefix$amp_cohort_name"',
    to: '"attribute": "amp_$amp_cohort_name"',
    expect: [{ code: 'unused-variable', text: 'attribute_prefix' }],
  },
  {
    name: 'a key misspelt',
    kind: 'ingestion',
    from: '"subtitle":',
    to: '"subtitel":',
    expect: [
      { code: 'missing-property', text: '"setup"' },
      { code: 'unknown-property', text: '"subtitel"' },
    ],
  },
  {
    name: 'a streaming parameter never used',
    kind: 'streaming',
    from: '"app_id" : "${parameters.app_id}",',
    to: '',
    expect: [],
  },
];

describe('mutated examples: CLI and server report the same codes and ranges', () => {
  let client: LspTestClient;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-mut-'));
    client = new LspTestClient(dir);
    await client.initialize();
  });
  after(async () => {
    await client.stop();
  });

  for (const m of MUTATIONS.slice(0, 3)) {
    it(m.name, async () => {
      const folder = path.join(dir, m.kind);
      fs.cpSync(path.dirname(EXAMPLE_FILES[m.kind]), folder, { recursive: true });
      const file = path.join(folder, path.basename(EXAMPLE_FILES[m.kind]));
      const text = mutate(readExample(m.kind), m.from, m.to);
      fs.writeFileSync(file, text);
      const cli = spawnSync(
        process.execPath,
        [path.join(REPO, 'dist', 'cli.js'), 'validate', '--format', 'json', file],
        { encoding: 'utf8' },
      );
      const fromCli = (JSON.parse(cli.stdout) as { code: string; range: unknown }[]).map((d) => ({
        code: d.code,
        range: d.range,
      }));
      const fromServer = (await client.open(fileUri(file), text)).map((d) => ({
        code: String(d.code),
        range: d.range,
      }));
      assert.deepStrictEqual(fromServer, fromCli);
      const lines = text.split('\n');
      const texts = fromCli.map((d) => {
        const r = d.range as { start: { line: number; character: number }; end: { line: number; character: number } };
        return {
          code: d.code,
          text:
            r.start.line === r.end.line
              ? lines[r.start.line].slice(r.start.character, r.end.character)
              : '(multi-line)',
        };
      });
      assert.deepStrictEqual(texts, m.expect);
    });
  }

  it('a streaming parameter used only in the template becomes unused when the template stops using it', async () => {
    const folder = path.join(dir, 'streaming');
    fs.cpSync(path.dirname(EXAMPLE_FILES.streaming), folder, { recursive: true });
    const template = path.join(folder, 'body.ftl');
    fs.writeFileSync(
      template,
      fs.readFileSync(template, 'utf8').replace('      "app_id": "${parameters.app_id?json_string}",\n', ''),
    );
    const file = path.join(folder, path.basename(EXAMPLE_FILES.streaming));
    const diagnostics = await client.open(fileUri(file), readExample('streaming'));
    assert.deepStrictEqual(
      diagnostics.map((d) => [d.code, d.message]),
      [
        [
          'unused-variable',
          'Parameter parameters.app_id is declared but never used in the request URL, headers or body template.',
        ],
      ],
    );
  });
});

describe('typing in a manifest: the diagnostics of each version are those of its text analysed afresh', () => {
  let client: LspTestClient;
  before(async () => {
    client = new LspTestClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
  });

  /** The server's diagnostics against a fresh analysis of the same text (offsets built from scratch). */
  function assertFresh(text: string, diagnostics: { code?: string | number; range: unknown }[], what: string): void {
    const analysis = analyzeAs('list', text);
    const expected = analysis.diagnostics.map((d) => ({ code: d.code, range: analysis.doc.lines.rangeOf(d) }));
    assert.deepStrictEqual(
      diagnostics.map((d) => ({ code: String(d.code), range: d.range })),
      expected,
      what,
    );
  }

  it('keystrokes inside strings, before and after the problems, then a structural edit', async () => {
    const uri = fileUri(path.join(path.dirname(EXAMPLE_FILES.list), 'typing.amplitude.json')); // never written
    let text = mutate(readExample('list'), 'audiences/$list_id/members"', 'audiences/$list_id/members?tag=$campaign"');
    assertFresh(text, await client.open(uri, text), 'opened');
    const at = (needle: string, shift: number) => {
      const offset = text.indexOf(needle) + shift;
      const before = text.slice(0, offset).split('\n');
      return { line: before.length - 1, character: before[before.length - 1].length, offset };
    };
    const type = async (needle: string, shift: number, removed: number, inserted: string) => {
      const start = at(needle, shift);
      const endText = text.slice(0, start.offset + removed).split('\n');
      const end = { line: endText.length - 1, character: endText[endText.length - 1].length };
      text = text.slice(0, start.offset) + inserted + text.slice(start.offset + removed);
      const diagnostics = await client.edit(uri, { start, end }, inserted);
      assertFresh(text, diagnostics, `${JSON.stringify(inserted)} at ${needle}+${shift}`);
    };
    for (const letter of ['y', ' ', 'L', 'i', 's', 't', 's']) await type('"Pushwave', 9, 0, letter);
    await type('"Pushwave', 9, 2, ''); // a deletion
    await type('members?tag=', 12, 0, 'x_'); // inside the string that holds the problem
    await type('members?tag=', 0, 0, 'all_'); // before it, in the same string
    await type('"Pushwave', 3, 0, 'é🎉'); // two-byte text before everything
    await type('"Pushwave', 1, 0, '\\"'); // an escape: the offsets are built anew
    await type('{', 1, 0, '\n  "x-extra": 1,'); // a new property: the structure changed
  });
});
