/**
 * A corpus of body templates in the idioms partners write (test/fixtures/templates/corpus: one .ftl each, and
 * index.json with what each output field must carry), judged by the real FreeMarker engine, not by our checks:
 * a template is correct when, for every event, it renders, its output is JSON without duplicate keys, and each
 * field holds the event's value as the type it names (a price 1299.99 arrives as the number 1299.99). Then our
 * checks (checkTemplate and the engine checks) must agree: no finding on a correct template, one at least on a
 * defective one.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { visit } from 'jsonc-parser';
import type { ManifestDiagnostic } from '../../server/src/base/diagnostic';
import { DIAGNOSTIC_CODES } from '../../server/src/diagnostics/codes';
import { dataModelFor } from '../../server/src/freemarker/dataModel';
import type { FreemarkerWorker } from '../../server/src/freemarker/engine';
import { EVIDENCE_EVENTS } from '../../server/src/freemarker/evidenceEvents';
import type { SampleEvent } from '../../server/src/freemarker/sampleEvents';
import { engineChecks, withoutEngine } from '../../server/src/templates/engineChecks';
import { checkTemplate, type TemplateManifest } from '../../server/src/templates/templateAnalysis';
import { startedWorker } from '../helpers/engine';
import { streamingOf } from '../helpers/manifests';
import type { StreamingModel } from '../../server/src/manifest/streaming';
import { REPO } from '../helpers/lspClient';

const DIR = path.join(REPO, 'test', 'fixtures', 'templates', 'corpus');

interface Entry {
  intent: 'correct' | 'defect';
  idiom: string;
  /** Output path (dotted) -> `kind:event path`; kind: string, number, boolean, digits, epochms, instant. */
  expect: Record<string, string>;
}

const INDEX = JSON.parse(fs.readFileSync(path.join(DIR, 'index.json'), 'utf8')) as Record<string, Entry>;
const CORPUS_EVENTS = (JSON.parse(fs.readFileSync(path.join(DIR, 'events.json'), 'utf8')) as { events: SampleEvent[] })
  .events;
/** The engine's evidence: the evidence events (Amplitude's event model) and the corpus's export-shaped events. */
const ORACLE_EVENTS: readonly SampleEvent[] = [...EVIDENCE_EVENTS, ...CORPUS_EVENTS];

const RAW_MANIFEST = { parameters: [{ name: 'api_key' }], userPropertyMappings: [{ name: 'email' }] };
const MANIFEST = streamingOf(RAW_MANIFEST);
const TEMPLATE_MANIFEST: TemplateManifest = {
  file: 'corpus.amplitude.json',
  parameters: ['api_key'],
  mappedFields: ['email'],
  role: 'events',
};

function at(value: unknown, dotted: string): unknown {
  let here = value;
  for (const key of dotted.split('.')) {
    if (here === null || typeof here !== 'object' || !Object.hasOwn(here, key)) return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

/** Amplitude's `yyyy-MM-dd HH:mm:ss.SSSSSS` (UTC) in epoch milliseconds, the microseconds dropped. */
const epochMs = (time: string) => Date.parse(`${time.slice(0, 23).replace(' ', 'T')}Z`);

/** Why `got` is not the event's `source` value as `kind`, or undefined when it is. */
function mismatch(kind: string, source: unknown, got: unknown): string | undefined {
  const shown = `${JSON.stringify(got)} for ${JSON.stringify(source)}`;
  if (kind === 'string') return got === source ? undefined : shown;
  if (kind === 'number' || kind === 'boolean') return got === source ? undefined : shown;
  if (kind === 'digits') return got === String(source) ? undefined : shown;
  if (kind === 'epochms') return got === epochMs(String(source)) ? undefined : shown;
  if (kind === 'instant') {
    const ms = typeof got === 'string' ? Date.parse(got) : NaN;
    const wanted = epochMs(String(source));
    const toSecond = typeof got === 'string' && !/\.\d/.test(got);
    return ms === (toSecond ? Math.floor(wanted / 1000) * 1000 : wanted) ? undefined : shown;
  }
  throw new Error(`unknown kind ${kind}`);
}

function duplicateKey(output: string): string | undefined {
  const seen: Set<string>[] = [];
  let duplicate: string | undefined;
  visit(output, {
    onObjectBegin: () => void seen.push(new Set()),
    onObjectEnd: () => void seen.pop(),
    onObjectProperty: (key) => {
      const keys = seen[seen.length - 1];
      if (keys.has(key)) duplicate ??= key;
      keys.add(key);
    },
  });
  return duplicate;
}

/** What one event's output gets wrong, or undefined. */
function judgeOutput(output: string, event: Record<string, unknown>, expect: Entry['expect']): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch (e) {
    return `not JSON (${(e as Error).message}): ${output.slice(0, 200)}`;
  }
  const duplicate = duplicateKey(output);
  if (duplicate !== undefined) return `the key "${duplicate}" twice: ${output.slice(0, 200)}`;
  for (const [outputPath, spec] of Object.entries(expect)) {
    const [kind, source] = [spec.slice(0, spec.indexOf(':')), at(event, spec.slice(spec.indexOf(':') + 1))];
    if (source === undefined || source === null || source === '') continue; // Missing: any default will do.
    const got = at(parsed, outputPath);
    const wrong = got === undefined ? 'absent' : mismatch(kind, source, got);
    if (wrong) return `${outputPath}: ${wrong}`;
  }
  return undefined;
}

/** The engine's verdict: the first event a template gets wrong, and how; undefined when it gets every one right. */
async function oracle(worker: FreemarkerWorker, name: string, text: string): Promise<string | undefined> {
  for (const sample of ORACLE_EVENTS) {
    const result = await worker.render(`${name}.ftl`, text, dataModelFor(MANIFEST, sample.event, {}, text));
    const wrong = result.ok
      ? judgeOutput(result.output, sample.event, INDEX[name].expect)
      : `render fails: ${result.error.message.split('\n')[0]}`;
    if (wrong) return `"${sample.name}": ${wrong}`;
  }
  return undefined;
}

async function ourFindings(worker: FreemarkerWorker, name: string, text: string): Promise<ManifestDiagnostic[]> {
  return [...checkTemplate(text, TEMPLATE_MANIFEST), ...(await engineChecks(worker, `${name}.ftl`, text, MANIFEST))];
}

interface Judged {
  name: string;
  text: string;
  verdict: string | undefined;
  findings: ManifestDiagnostic[];
}

describe('a corpus of templates judged by the engine, and our checks against its verdicts', () => {
  let worker: FreemarkerWorker;
  const judged: Judged[] = [];
  before(async function () {
    this.timeout(240_000);
    worker = await startedWorker();
    for (const name of Object.keys(INDEX).sort()) {
      const text = fs.readFileSync(path.join(DIR, `${name}.ftl`), 'utf8');
      judged.push({
        name,
        text,
        verdict: await oracle(worker, name, text),
        findings: await ourFindings(worker, name, text),
      });
    }
  });
  after(() => worker.dispose());

  it('holds at least 60 templates, one file each, and the engine judges each the way its entry says', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.ftl'));
    assert.deepStrictEqual(files.map((f) => f.slice(0, -4)).sort(), Object.keys(INDEX).sort());
    assert.ok(files.length >= 60, `${files.length} templates`);
    const wrong = judged
      .filter((j) => (j.verdict === undefined) !== (INDEX[j.name].intent === 'correct'))
      .map((j) => `${j.name} (${INDEX[j.name].intent}): the engine says ${j.verdict ?? 'correct'}`);
    assert.deepStrictEqual(wrong, []);
    const correct = judged.filter((j) => j.verdict === undefined).length;
    assert.ok(
      correct >= 25 && judged.length - correct >= 25,
      `${correct} correct, ${judged.length - correct} defective`,
    );
  });

  it('our checks agree with the engine: nothing on a correct template, a finding on every defective one', () => {
    const flagged = judged.filter((j) => j.verdict === undefined && j.findings.length > 0);
    const missed = judged.filter((j) => j.verdict !== undefined && j.findings.length === 0);
    const correct = judged.filter((j) => j.verdict === undefined).length;
    const summary =
      `${flagged.length} of ${correct} correct templates flagged, ` +
      `${missed.length} of ${judged.length - correct} defective ones missed`;
    assert.deepStrictEqual(
      {
        flagged: flagged.map((j) => `${j.name}: ${[...new Set(j.findings.map((f) => f.code))].join(', ')}`),
        missed: missed.map((j) => `${j.name}: ${j.verdict}`),
      },
      { flagged: [], missed: [] },
      summary,
    );
  });

  it('every template check shows on a template, so disabling any one of them fails here', async () => {
    const probes: [string, string, StreamingModel][] = [
      ['syntax', '{"a": ${input.user_id', MANIFEST],
      ['arithmetic', '{"total": ${mappedProperties.price?number * 2}}', MANIFEST],
      ['structure', '{"first": ${mappedProperties.items[0]}}', MANIFEST],
      [
        'limits',
        '{"event": "${input.event_type?json_string}"}',
        streamingOf({ ...RAW_MANIFEST, limits: { maxBodyBytes: 10 } }),
      ],
      ['undeclared', '{"a": "${parameters.nope}", "b": "${mappedFields.nope!""}"}', MANIFEST],
    ];
    const shown = new Set(judged.flatMap((j) => j.findings.map((f) => f.code)));
    for (const [name, text, manifest] of probes) {
      for (const f of checkTemplate(text, TEMPLATE_MANIFEST)) shown.add(f.code);
      for (const f of await engineChecks(worker, `${name}.ftl`, text, manifest)) shown.add(f.code);
    }
    for (const f of withoutEngine({ problem: 'No Java on this machine.' }, '{}')) shown.add(f.code);
    const stopped = await startedWorker();
    stopped.dispose(); // A worker that is gone: the engine fails for a reason that is not the template's.
    for (const f of await engineChecks(stopped, 'body.ftl', '{}', MANIFEST)) shown.add(f.code);
    const templateCodes = DIAGNOSTIC_CODES.filter((c) => c.in !== 'manifest').map((c) => c.code);
    assert.deepStrictEqual(
      templateCodes.filter((code) => !shown.has(code)),
      [],
      'template checks that no template shows',
    );
  });
});
