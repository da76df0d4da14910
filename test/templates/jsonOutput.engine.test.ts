import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import type { ManifestDiagnostic } from '../../server/src/base/diagnostic';
import type { FreemarkerWorker } from '../../server/src/freemarker/engine';
import { dataModelFor } from '../../server/src/freemarker/dataModel';
import { checkJson } from '../../server/src/freemarker/renderBody';
import { SAMPLE_EVENTS } from '../../server/src/freemarker/sampleEvents';
import { parseManifest } from '../../server/src/manifest/document';
import { buildModel } from '../../server/src/manifest/model';
import { checkTemplate, templateManifestFrom } from '../../server/src/templates/templateAnalysis';
import { startedWorker } from '../helpers/engine';
import { fileUri, LspTestClient, REPO } from '../helpers/lspClient';
import { mutate, textAt } from '../helpers/manifests';

/**
 * Mixpanel's Ingestion API, "Track events" (https://developer.mixpanel.com/reference/track-event): the body
 * template of test/fixtures/partners/mixpanel-track, correct as it is.
 */
const PARTNER = path.join(REPO, 'test', 'fixtures', 'partners', 'mixpanel-track');
const BODY = fs.readFileSync(path.join(PARTNER, 'body.ftl'), 'utf8');
const MANIFEST_TEXT = fs.readFileSync(path.join(PARTNER, 'mixpanel-track.amplitude.json'), 'utf8');
const MANIFEST = buildModel(parseManifest(MANIFEST_TEXT)).streaming;

const ESCAPED_NAME = '"event": "${input.event_type?json_string}",';
/** The mistake: the event's name printed as it is, inside the JSON string. */
const UNESCAPED = mutate(BODY, ESCAPED_NAME, '"event": "${input.event_type}",');

const SETTING = '<#setting number_format="computer">\n';
/** The mistake: no computer number format, and Amplitude's numeric id printed with the default one. */
const UNFORMATTED = mutate(
  mutate(BODY, SETTING, ''),
  '"$insert_id":',
  '"amplitude_id": ${input.amplitude_id!0},\n      "$insert_id":',
);

function ofCode(text: string, code: string) {
  return checkTemplate(text, templateManifestFrom('mixpanel-track.amplitude.json', MANIFEST))
    .filter((d) => d.code === code)
    .map((d) => ({ d, under: textAt(text, d) }));
}

/**
 * The text after applying the diagnostic's fix titled `title` (the static check offers candidates; the editor
 * offers only those the engine verifies, tested in quickFixes.test.ts).
 */
function fixed(text: string, d: ManifestDiagnostic, title: RegExp): string {
  const edits = d.fixes?.find((f) => title.test(f.title))?.edits() ?? [];
  assert.strictEqual(edits.length, 1, d.message);
  const [edit] = edits;
  return text.slice(0, edit.offset) + edit.content + text.slice(edit.offset + edit.length);
}

describe('JSON output checks (unescaped-string, unformatted-number), with the real engine', () => {
  let worker: FreemarkerWorker;
  before(async () => {
    worker = await startedWorker({ timeoutMs: 10_000 });
  });
  after(() => worker.dispose());

  /** The engine's body for a sample event, and whether it is JSON. */
  const render = async (text: string, sample: string) => {
    const event = SAMPLE_EVENTS.find((s) => s.name === sample)?.event ?? {};
    const result = await worker.render('body.ftl', text, dataModelFor(MANIFEST, event, {}, text));
    assert.ok(result.ok, JSON.stringify(result));
    return { output: result.output, problem: checkJson(result.output) };
  };

  it('unescaped-string: the event name inside quotes without ?json_string, and its fix', async () => {
    const found = ofCode(UNESCAPED, 'unescaped-string');
    assert.strictEqual(found.length, 1, JSON.stringify(found));
    const [{ d, under }] = found;
    assert.strictEqual(d.severity, 'warning');
    assert.strictEqual(under, '${input.event_type}');
    assert.match(d.message, /inside a JSON string but is not escaped.*Add \?json_string/s);
    // What it warns of is what the engine does: Clicked "Buy now" breaks the body.
    assert.ok((await render(UNESCAPED, 'Quotes and backslashes')).problem, 'the engine output stayed JSON');
    const repaired = fixed(UNESCAPED, d, /json_string/);
    assert.strictEqual(repaired, BODY);
    assert.deepStrictEqual(ofCode(BODY, 'unescaped-string'), []);
    assert.strictEqual((await render(BODY, 'Quotes and backslashes')).problem, undefined);
  });

  it('unescaped-string is silent on the other string-safe forms: ?c, ?url, a number built-in', () => {
    for (const safe of ['${input.event_type?url}', '${input.event_id?c}', '${(input.event_properties.level!0)?int}'])
      assert.deepStrictEqual(ofCode(mutate(BODY, ESCAPED_NAME, `"event": "${safe}",`), 'unescaped-string'), [], safe);
  });

  it('unformatted-number: a numeric id with the default number format, and its fix', async () => {
    const found = ofCode(UNFORMATTED, 'unformatted-number');
    assert.strictEqual(found.length, 1, JSON.stringify(found));
    const [{ d, under }] = found;
    assert.strictEqual(d.severity, 'warning');
    assert.strictEqual(under, '${input.amplitude_id!0}');
    assert.match(d.message, /1,763,647,400,000.*Add \?c/s);
    const broken = await render(UNFORMATTED, 'Purchase');
    assert.match(broken.output, /"amplitude_id": 501,234,567,890,/);
    assert.ok(broken.problem, 'the engine output stayed JSON');
    const repaired = fixed(UNFORMATTED, d, /\?c/);
    assert.ok(repaired.includes('"amplitude_id": ${(input.amplitude_id!0)?c},'), repaired);
    assert.deepStrictEqual(ofCode(repaired, 'unformatted-number'), []);
    assert.deepStrictEqual(
      JSON.parse((await render(repaired, 'Purchase')).output)[0].properties.amplitude_id,
      501234567890,
    );
  });

  it('unformatted-number is silent under <#setting number_format="computer">', async () => {
    const withSetting = SETTING + UNFORMATTED;
    assert.deepStrictEqual(ofCode(withSetting, 'unformatted-number'), []);
    assert.strictEqual((await render(withSetting, 'Purchase')).problem, undefined);
  });
});

describe('JSON output checks reach the editor over LSP, on a .ftl beside its streaming manifest', () => {
  let dir: string;
  let client: LspTestClient;
  let uri: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-mixpanel-'));
    for (const file of ['mixpanel-track.amplitude.json', 'logo.png', 'body.ftl'])
      fs.copyFileSync(path.join(PARTNER, file), path.join(dir, file));
    uri = fileUri(path.join(dir, 'body.ftl'));
    client = new LspTestClient(dir);
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const under = (text: string, d: Diagnostic) => {
    const doc = TextDocument.create(uri, 'ftl', 1, text);
    return text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end));
  };
  const watched = (d: Diagnostic) => d.code === 'unescaped-string' || d.code === 'unformatted-number';

  it('both warnings, at their interpolations, then none once fixed', async () => {
    const text = mutate(UNFORMATTED, ESCAPED_NAME, '"event": "${input.event_type}",');
    await client.open(uri, text);
    const found = await client.diagnosticsMatching(uri, (d) => d.filter(watched).length === 2);
    assert.deepStrictEqual(
      found.filter(watched).map((d) => [d.code, d.severity, under(text, d)]),
      [
        ['unescaped-string', 2, '${input.event_type}'],
        ['unformatted-number', 2, '${input.amplitude_id!0}'],
      ],
    );
    const repaired = mutate(
      mutate(text, '${input.event_type}', '${input.event_type?json_string}'),
      '${input.amplitude_id!0}',
      '${(input.amplitude_id!0)?c}',
    );
    client.changeNoWait(uri, repaired);
    // Fixed, the template gets no diagnostic at all, from the checks or the engine (a timeout fails the test).
    await client.diagnosticsMatching(uri, (d) => d.length === 0);
  });
});
