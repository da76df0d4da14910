import * as path from 'path';
import type { ManifestAnalysis } from '../analysis';
import { emptyRecord } from '../base/records';
import { FreemarkerWorker, locateEngine } from '../freemarker/engine';
import { SAMPLE_EVENTS } from '../freemarker/sampleEvents';
import { startMockPartner, type MockPartner } from '../mock/mockPartner';
import { testFailed } from '../testing/endpointTest';
import type { ListId } from '../testing/cohort/listId';
import { runTest, testNames } from '../testing/runner';
import { EndpointSender } from '../testing/send';
import { simulateSync } from '../testing/cohort/simulate';
import { DEFAULT_TEST_VALUES, type TestValues } from '../testing/values';
import { cliRenderer, WORKER_DIR } from './engine';
import type { Io } from './io';
import { analyzeFile, collectManifests, manifestScope } from './manifestFiles';

const DEMO_SECRETS = { bearer: 'demo-bearer-token', key: 'demo-api-key', secret: 'demo-api-secret' };
const DEMO_AUTH = { bearer: DEMO_SECRETS.bearer, basic: { key: DEMO_SECRETS.key, secret: DEMO_SECRETS.secret } };

/** Values a customer would type, for the bundled examples. */
function demoValues(analysis: ManifestAnalysis): TestValues {
  const variables = emptyRecord<string>();
  Object.assign(variables, {
    bearer_token: DEMO_SECRETS.bearer,
    api_key: DEMO_SECRETS.key,
    api_secret: DEMO_SECRETS.secret,
  });
  for (const d of analysis.model.declarations) {
    if ((d.source !== 'customField' && d.source !== 'parameter') || Object.hasOwn(variables, d.name)) continue;
    if (d.name === 'region') variables[d.name] = 'us';
    else if (d.name.includes('prefix')) variables[d.name] = 'amp_';
    else variables[d.name] = `demo-${d.name.replace(/_/g, '-')}`;
  }
  return { ...DEFAULT_TEST_VALUES, variables };
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

class Checker {
  failures = 0;
  constructor(private readonly io: Io) {}

  check(ok: boolean, line: string): void {
    if (!ok) this.failures++;
    this.io.out(`  ${ok ? 'ok  ' : 'FAIL'} ${line}`);
  }
}

interface DemoContext {
  analysis: ManifestAnalysis;
  file: string;
  mock: MockPartner;
  sender: EndpointSender;
  values: TestValues;
  checker: Checker;
}

/** Every endpoint in order (the list id carried along), a classified 401, an unclassified 418, a whole sync. */
async function demoCohort({ analysis, mock, sender, values, checker }: DemoContext): Promise<void> {
  let listId: ListId | undefined;
  for (const name of testNames(analysis)) {
    const r = await runTest(analysis, { name, values, listId, target: mock.url }, sender);
    if (r.listId?.ok) listId = r.listId.listId;
    const outcome = r.result.ok
      ? `${r.result.status} ${r.result.statusText} in ${ms(r.result.timing.totalMs)}`
      : r.result.message;
    const created = r.listId?.ok ? `, list id ${JSON.stringify(r.listId.listId)}` : '';
    checker.check(
      !testFailed(r),
      `${name.padEnd(12)} ${r.request.method} ${new URL(r.request.url).pathname} -> ${outcome}${created}`,
    );
  }
  const first = testNames(analysis)[0];
  mock.setBehaviour({ kind: 'status', status: 401, body: { error: 'invalid api key' } });
  const failed = await runTest(analysis, { name: first, values, listId, target: mock.url }, sender);
  const reason = failed.classification?.failureReason;
  checker.check(
    failed.classification?.kind === 'classified',
    `${first} answered 401 -> classified as "${reason}": ${failed.classification?.message}`,
  );
  mock.setBehaviour({ kind: 'status', status: 418 });
  const odd = await runTest(analysis, { name: first, values, listId, target: mock.url }, sender);
  checker.check(
    odd.classification?.kind === 'unclassified',
    `${first} answered 418 -> unclassified, Amplitude's default message`,
  );
  mock.setBehaviour({ kind: 'ok' });
  const summary = await simulateSync(analysis, { values, add: 25_000, remove: 2_500, target: mock.url }, sender);
  checker.check(
    summary.problem === undefined && summary.failed === 0,
    `simulated sync: ${summary.users.added} users added, ${summary.users.removed} removed, ` +
      `${summary.requests} requests, ` +
      `latency p50 ${ms(summary.latencyMs.p50)} / p95 ${ms(summary.latencyMs.p95)}`,
  );
  checker.check(summary.verification?.status === 'verified', summary.verification?.message ?? 'end state not verified');
}

async function demoStreaming({ analysis, file, mock, sender, values, checker }: DemoContext): Promise<void> {
  const location = locateEngine({ workerDir: WORKER_DIR });
  if ('problem' in location) return checker.check(false, location.problem);
  const worker = new FreemarkerWorker(location);
  try {
    const version = await worker.start();
    const render = cliRenderer(worker, analysis.model.streaming, manifestScope(file));
    for (const sample of SAMPLE_EVENTS.slice(0, 3)) {
      const r = await runTest(analysis, { values, event: sample.event, target: mock.url }, sender, render);
      const answer = r.result.ok ? `${r.result.status} ${r.result.statusText}` : r.result.message;
      const json = r.request.notes?.length ? 'no' : 'yes';
      checker.check(
        !testFailed(r) && json === 'yes',
        `"${sample.name}" rendered with FreeMarker ${version} (valid JSON: ${json}), ${r.request.method} ` +
          `${new URL(r.request.url).pathname} with User-Agent ${r.request.headers['User-Agent']} -> ${answer}`,
      );
    }
  } finally {
    worker.dispose();
  }
}

async function demoIngestion({ analysis, mock, sender, values, checker }: DemoContext): Promise<void> {
  const r = await runTest(
    analysis,
    { values, target: mock.url, ingestionEndpoint: 'https://api2.amplitude.com/2/httpapi' },
    sender,
  );
  const { partnerId } = analysis.model.ingestion;
  const answer = r.result.ok ? `${r.result.status} ${r.result.statusText}` : r.result.message;
  checker.check(!testFailed(r), `HTTP API v2 request with partner_id "${partnerId}" -> ${answer}`);
}

/** The mock that plays this manifest's API (routes and shapes); a source calls Amplitude, played by the plain mock. */
function mockFor(analysis: ManifestAnalysis): Promise<MockPartner> {
  if (analysis.model.kind === 'event-ingestion') return startMockPartner({ auth: DEMO_AUTH });
  // A streaming destination's key is a parameter the customer types; the example sends it as a bearer token.
  const auth = analysis.model.kind === 'event-streaming' ? { bearer: DEMO_SECRETS.key } : DEMO_AUTH;
  return startMockPartner({ manifest: analysis.model, fixtures: { auth } });
}

async function demoManifest(file: string, step: number, io: Io, checker: Checker): Promise<void> {
  const analysis = analyzeFile(file);
  const name = analysis.model.connection.displayName ?? path.basename(file);
  const mock = await mockFor(analysis);
  const sender = new EndpointSender({
    connectTimeoutMs: 5000,
    headersTimeoutMs: 10_000,
    bodyTimeoutMs: 10_000,
    totalTimeoutMs: 30_000,
    maxResponseBytes: 10 * 1024 * 1024,
    connections: 4,
  });
  io.out(`\n${step}. ${name} (${analysis.model.kind}) against the mock partner API at ${mock.url}`);
  const context: DemoContext = { analysis, file, mock, sender, values: demoValues(analysis), checker };
  try {
    if (analysis.model.kind === 'cohort-list' || analysis.model.kind === 'cohort-property') await demoCohort(context);
    else if (analysis.model.kind === 'event-ingestion') await demoIngestion(context);
    else if (analysis.model.kind === 'event-streaming') await demoStreaming(context);
  } finally {
    await sender.close();
    await mock.close();
  }
}

/**
 * The headless demo: the examples validated, then each against a mock partner API derived from its own
 * manifest: every endpoint tested, errors classified, a whole sync simulated and its end state verified,
 * events rendered and sent. Exit 0 when all went as expected.
 */
export async function demoCommand(examplesDir: string, io: Io): Promise<number> {
  const checker = new Checker(io);
  io.out('Amplitude integration tools: headless demo\n');
  const files = collectManifests([examplesDir]);
  const diagnostics = files.flatMap((file) => analyzeFile(file).diagnostics);
  io.out(`1. validate ${path.relative(process.cwd(), examplesDir) || '.'}`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  checker.check(
    errors === 0,
    `${files.length} manifests, ${errors} errors, ${diagnostics.length - errors} other diagnostics`,
  );
  let step = 2;
  for (const file of files) await demoManifest(file, step++, io, checker);
  const failures = checker.failures;
  io.out(
    `\n${
      failures === 0
        ? 'Demo finished: everything answered as expected.'
        : `Demo finished with ` + `${failures} unexpected result(s).`
    }`,
  );
  return failures === 0 ? 0 : 1;
}
