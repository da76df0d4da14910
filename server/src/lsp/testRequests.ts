import * as path from 'path';
import { pathToFileURL } from 'url';
import { withoutControls } from '../base/terminal';
import type { ManifestAnalysis } from '../analysis';
import { analyzeManifest } from '../analysis';
import { decodeText, MAX_MANIFEST_BYTES, MAX_TEXT_BYTES, nodeFiles, readReference, readUserFile } from '../base/files';
import { mask } from '../base/mask';
import { recordOf } from '../base/records';
import { SAMPLE_EVENTS } from '../freemarker/sampleEvents';
import { bodyTemplateReference, requestKey, type StreamingRole } from '../manifest/usage';
import { MEMBERSHIP_VARIABLE, predefinedVariable } from '../manifest/variables';
import {
  RunTestRequest,
  SimulateProgressNotification,
  SimulateRequest,
  ReplayRequest,
  TestPlanRequest,
  type ReplayAnswer,
  type ReplayParams,
  type NeededValue,
  type RunTestParams,
  type RunTestAnswer,
  type SendSettings,
  type SimulateAnswer,
  type SimulateParams,
  type TestPlan,
} from '../protocol';
import { mappingVariables } from '../testing/endpointTest';
import { RequestBuildError } from '../testing/request';
import { planTest, runTest, testNames, type BodyRenderer, type TestName } from '../testing/runner';
import { DEFAULT_SEND_OPTIONS, EndpointSender, type SendOptions } from '../testing/send';
import { RENDER_AHEAD, replayAndVerify } from '../testing/streaming/replay';
import { replayRendering, type ReplayRendering } from '../testing/streaming/renderThread';
import type { BodyTemplate } from '../freemarker/renderBody';
import { simulateSync } from '../testing/cohort/simulate';
import { simulateSchedule } from '../testing/cohort/schedule';
import { firstUsers, generatedUsers } from '../testing/cohort/users';
import { readUsersCsvFile } from '../testing/cohort/usersCsv';
import { DEFAULT_TEST_VALUES, secretValues, secretVariableNames, type TestValues } from '../testing/values';
import { abortSignalOf, handle, notify, textOf, type ServerContext } from './context';
import { filePathOf, settingTimeout } from './workspace';

/** The manifest to test: its open text, else the file on disk (inside the workspace). */
function analysisFor(context: ServerContext, uri: string): ManifestAnalysis | undefined {
  const open = textOf(context, uri);
  if (open) return context.manifests.analyze(open);
  const file = filePathOf(uri);
  const located = file ? context.workspace.workspaceFile(file) : undefined;
  if (!file || !located?.ok) return undefined;
  const read = readUserFile(located.path, MAX_MANIFEST_BYTES);
  return read.ok
    ? analyzeManifest(decodeText(read), { ...context.workspace.scopeOf(file), files: nodeFiles })
    : undefined;
}

function needsOf(analysis: ManifestAnalysis): NeededValue[] {
  const secrets = secretVariableNames(analysis.model);
  const needs = analysis.model.declarations
    .filter((d) => d.source === 'customField' || d.source === 'authentication' || d.source === 'parameter')
    .map((d) => ({ name: d.name, displayName: d.displayName, secret: secrets.has(d.name) }));
  if (analysis.model.kind === 'event-ingestion')
    needs.push({ name: 'api_key', displayName: 'Amplitude project API key', secret: true });
  return needs.filter((need, i) => needs.findIndex((n) => n.name === need.name) === i);
}

/** The values to mask in an answer: those of the secret needs only (the same rule as SecretStorage). */
function secretsOf(analysis: ManifestAnalysis, values: Record<string, string> | undefined): string[] {
  const names = needsOf(analysis)
    .filter((need) => need.secret)
    .map((need) => need.name);
  return secretValues(names, values);
}

function testPlan(analysis: ManifestAnalysis): TestPlan {
  const problem =
    analysis.doc.syntaxProblems.length > 0 ? 'The manifest is not valid JSON: fix the problems first.' : undefined;
  return {
    kind: analysis.model.kind,
    tests: testNames(analysis),
    needs: needsOf(analysis),
    hasListCreation: analysis.model.endpoints.some((e) => e.name === 'listCreation'),
    usesMembership: analysis.model.references.some(
      (r) => r.endpoint === 'update' && predefinedVariable(r.name)?.name === MEMBERSHIP_VARIABLE,
    ),
    samples: SAMPLE_EVENTS.map((s) => s.name),
    problem,
  };
}

/** Test Endpoint's settings; a timeout past MAX_TIMEOUT_MS is clamped and logged (Node's timers overflow). */
function sendOptions(context: ServerContext, settings: SendSettings): SendOptions {
  const positive = (value: unknown, fallback: number) => (typeof value === 'number' && value > 0 ? value : fallback);
  const timeout = (name: 'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'totalTimeoutMs') =>
    settingTimeout(positive(settings[name], DEFAULT_SEND_OPTIONS[name]), `amplitude.test.${name}`, (message) =>
      context.connection.console.warn(message),
    );
  return {
    ...DEFAULT_SEND_OPTIONS,
    connectTimeoutMs: timeout('connectTimeoutMs'),
    headersTimeoutMs: timeout('headersTimeoutMs'),
    bodyTimeoutMs: timeout('bodyTimeoutMs'),
    totalTimeoutMs: timeout('totalTimeoutMs'),
    maxResponseBytes: positive(settings.maxResponseBytes, DEFAULT_SEND_OPTIONS.maxResponseBytes),
  };
}

function valuesOf(values: Record<string, string>): TestValues {
  const variables = recordOf(
    Object.entries(values ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  return { ...DEFAULT_TEST_VALUES, variables };
}

/** The manifest's body template: the open text, else the file (workspace rules); or why there is none. */
function bodyTemplateOf(
  context: ServerContext,
  analysis: ManifestAnalysis,
  manifestUri: string,
  role: StreamingRole,
): BodyTemplate | { problem: string } {
  const file = filePathOf(manifestUri);
  const reference = bodyTemplateReference(analysis.model.streaming, role);
  if (!file || !reference) return { problem: `The manifest names no ${requestKey(role)}.bodyTemplate.` };
  const read = readReference(reference, context.workspace.scopeOf(file), { maxBytes: MAX_TEXT_BYTES });
  if (!read.ok) return { problem: `The body template "${reference}" ${read.reason}.` };
  const template = textOf(context, pathToFileURL(read.path).toString())?.text ?? decodeText(read);
  return { templatePath: read.path, template };
}

/** The manifest's body template rendered by the server's worker. */
function renderer(context: ServerContext, analysis: ManifestAnalysis, manifestUri: string): BodyRenderer {
  return async (event, parameters, role = 'events') => {
    const body = bodyTemplateOf(context, analysis, manifestUri, role);
    if ('problem' in body) return { ok: false, message: body.problem };
    const { templatePath, template } = body;
    const result = await context.templates.render(templatePath, template, event, parameters, analysis.model.streaming);
    if (!result.ok) {
      const { message, line, column } = result.error;
      return { ok: false, message, file: path.basename(templatePath), line, column };
    }
    return { ok: true, output: result.output };
  };
}

/** A replay's renders: the template as it is now, on a render thread with a worker of its own (C2). */
function replayRenders(
  context: ServerContext,
  analysis: ManifestAnalysis,
  uri: string,
  plan: { values: Record<string, string>; count: number; ahead: number; signal: AbortSignal },
): ReplayRendering {
  const body = bodyTemplateOf(context, analysis, uri, 'events');
  const { engine, worker } = context.templates.engineSettings();
  const onThread =
    'problem' in body || 'problem' in engine
      ? undefined
      : { body, label: path.basename(body.templatePath), engine: { engine, worker: { ...worker, longRun: true } } };
  const source = { kind: 'generated' } as const;
  const fallback = () => ({ render: renderer(context, analysis, uri) });
  return replayRendering(onThread, { ...plan, streaming: analysis.model.streaming, source }, fallback, plan.signal);
}

async function runTestRequest(context: ServerContext, p: RunTestParams, signal: AbortSignal): Promise<RunTestAnswer> {
  const analysis = analysisFor(context, p.uri);
  if (!analysis) return { problem: 'The manifest is neither open nor in the workspace.' };
  const sample = SAMPLE_EVENTS.find((s) => s.name === p.sample) ?? SAMPLE_EVENTS[0];
  const spec = {
    name: p.name as TestName,
    values: valuesOf(p.values),
    listId: p.listId,
    membership: p.membership,
    target: p.send.target || undefined,
    event: analysis.model.kind === 'event-streaming' ? sample.event : undefined,
    ingestionEndpoint: p.send.ingestionEndpoint,
  };
  const render = analysis.model.kind === 'event-streaming' ? renderer(context, analysis, p.uri) : undefined;
  try {
    if (p.dryRun) return { planned: (await planTest(analysis, spec, render)).slice(0, 1) };
    const sender = new EndpointSender(sendOptions(context, p.send));
    try {
      return { result: await runTest(analysis, spec, sender, render, signal) };
    } finally {
      await sender.close();
    }
  } catch (error) {
    if (error instanceof RequestBuildError)
      return { problem: withoutControls(mask(error.message, secretsOf(analysis, p.values))) };
    throw error;
  }
}

/** The users of a Simulate: a CSV streamed (the server keeps answering while it reads), or generated ones. */
async function usersOf(analysis: ManifestAnalysis, p: SimulateParams, signal: AbortSignal) {
  if ('csvFile' in p.users) {
    const csv = await readUsersCsvFile(p.users.csvFile, signal);
    return { added: csv.add, removed: csv.remove, cohort: csv.cohort };
  }
  const added = generatedUsers(Math.max(0, Math.floor(p.users.count)), mappingVariables(analysis));
  return { added, removed: firstUsers(added, Math.max(0, Math.floor(p.users.remove))), cohort: {} };
}

/** A schedule's numbers from the client, bounded as the CLI bounds them. */
function scheduleOf(schedule: NonNullable<SimulateParams['schedule']>, members: number) {
  const whole = (n: unknown, min: number, max: number) =>
    typeof n === 'number' && Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : min;
  const churn = typeof schedule.churn === 'number' && schedule.churn >= 0 ? schedule.churn : 0.1;
  return {
    syncs: whole(schedule.syncs, 1, 100),
    cohorts: whole(schedule.cohorts, 1, 20),
    members: Math.min(members, 1_000_000),
    churn: churn < 1 ? churn : Math.floor(churn),
    seed: whole(schedule.seed ?? 1, 1, 2 ** 31),
  };
}

async function simulateRequest(
  context: ServerContext,
  p: SimulateParams,
  signal: AbortSignal,
): Promise<SimulateAnswer> {
  const analysis = analysisFor(context, p.uri);
  if (!analysis) return { problem: 'The manifest is neither open nor in the workspace.' };
  const secrets = secretsOf(analysis, p.values);
  let users;
  try {
    users = await usersOf(analysis, p, signal);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const values = valuesOf({ ...p.values, ...users.cohort });
  const sender = new EndpointSender(sendOptions(context, p.send));
  const timeScale = typeof p.timeScale === 'number' && p.timeScale > 0 ? p.timeScale : undefined;
  try {
    if (p.schedule && !('csvFile' in p.users)) {
      const schedule = await simulateSchedule(
        analysis,
        { ...scheduleOf(p.schedule, users.added.count), values, timeScale, target: p.send.target || undefined },
        sender,
        signal,
      );
      return { schedule, secrets };
    }
    const summary = await simulateSync(
      analysis,
      {
        values,
        added: users.added,
        removed: users.removed,
        target: p.send.target || undefined,
        timeScale,
        onProgress: (done, total) =>
          notify(context, SimulateProgressNotification, { token: p.progressToken, done, total }),
      },
      sender,
      signal,
    );
    return { summary, secrets };
  } catch (error) {
    if (error instanceof RequestBuildError) return { problem: mask(error.message, secrets) };
    throw error;
  } finally {
    await sender.close();
  }
}

async function replayRequest(context: ServerContext, p: ReplayParams, signal: AbortSignal): Promise<ReplayAnswer> {
  const analysis = analysisFor(context, p.uri);
  if (!analysis || analysis.model.kind !== 'event-streaming')
    return { problem: 'Replay needs an event streaming manifest, open or in the workspace.' };
  const secrets = secretsOf(analysis, p.values);
  const sender = new EndpointSender({ ...sendOptions(context, p.send), connections: 32 });
  const target = p.send.target || undefined;
  const values = valuesOf(p.values).variables;
  const count = Math.max(1, Math.min(1_000_000, Math.floor(p.count)));
  const rendering = replayRenders(context, analysis, p.uri, { values, count, ahead: 8 * RENDER_AHEAD, signal });
  try {
    const onProgress = (done: number, total: number) =>
      notify(context, SimulateProgressNotification, { token: p.progressToken, done, total });
    const options = { streaming: analysis.model.streaming, values, sender, count, target, signal, onProgress };
    const { report, verification } = await replayAndVerify(options, rendering);
    // A dead target: the report says what was tried, the problem why it stopped.
    return { report, verification, secrets, problem: report.gaveUp };
  } finally {
    await sender.close();
  }
}

/** Test Endpoint and Simulate, run by the server (the client only asks and shows): one runner for every kind. */
export function registerTestRequests(context: ServerContext): void {
  const noManifest = {
    ...testPlan(analyzeManifest('')),
    problem: 'The manifest is neither open nor in the workspace.',
  };
  handle(context, TestPlanRequest, noManifest, (p) => {
    const analysis = analysisFor(context, p.uri);
    return analysis ? testPlan(analysis) : noManifest;
  });
  const failed: RunTestAnswer = { problem: 'The test failed unexpectedly (see the output channel).' };
  handle(context, RunTestRequest, failed, (p, token) => runTestRequest(context, p, abortSignalOf(token)));
  const simulationFailed: SimulateAnswer = { problem: 'The simulation failed unexpectedly (see the output channel).' };
  handle(context, SimulateRequest, simulationFailed, (p, token) => simulateRequest(context, p, abortSignalOf(token)));
  const replayFailed: ReplayAnswer = { problem: 'The replay failed unexpectedly (see the output channel).' };
  handle(context, ReplayRequest, replayFailed, (p, token) => replayRequest(context, p, abortSignalOf(token)));
}
