import * as path from 'path';
import { formatOutcomesJunit, type Outcome } from '../reports/junit';
import { mask } from '../base/mask';
import { samplesFor } from '../freemarker/sampleEvents';
import type { StreamingRole } from '../manifest/usage';
import type { ManifestAnalysis } from '../analysis';
import { mappingVariables, testFailed, type EndpointTestResult } from '../testing/endpointTest';
import { RequestBuildError } from '../testing/request';
import { planTest, runTest, testNames, type BodyRenderer, type TestName, type TestSpec } from '../testing/runner';
import { DEFAULT_SEND_OPTIONS, EndpointSender, type SendOptions } from '../testing/send';
import {
  choice,
  listIdOption,
  membershipOption,
  parseCommandArgs,
  positiveNumber,
  readOptionFile,
  targetOption,
  timeoutOption,
  testValues,
  usersCsv,
  userSource,
  withCohort,
  type Parsed,
} from './args';
import { cliRenderer, workerFor } from './engine';
import { UsageError, type Io } from './io';
import { analyzeForTest, manifestScope } from './manifestFiles';
import { requestJson, requestText, resultLines } from './report';
import { DESCRIPTION_OPTIONS, descriptionFile, withDescriptionMock } from './apiDescriptionMock';

export const SEND_OPTIONS = {
  values: { type: 'string' },
  target: { type: 'string' },
  timeout: { type: 'string' },
  'max-bytes': { type: 'string' },
  format: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'users-csv': { type: 'string' },
  users: { type: 'string' },
  'list-id': { type: 'string' },
} as const;

/** `--timeout ms` is each request's whole deadline; no phase (connect, headers, body) may wait longer. */
export function sendOptions(parsed: Parsed, io: Pick<Io, 'err'>): SendOptions {
  const total = timeoutOption(parsed, 'timeout', DEFAULT_SEND_OPTIONS.totalTimeoutMs, io);
  return {
    ...DEFAULT_SEND_OPTIONS,
    connectTimeoutMs: Math.min(total, DEFAULT_SEND_OPTIONS.connectTimeoutMs),
    headersTimeoutMs: Math.min(total, DEFAULT_SEND_OPTIONS.headersTimeoutMs),
    bodyTimeoutMs: Math.min(total, DEFAULT_SEND_OPTIONS.bodyTimeoutMs),
    totalTimeoutMs: total,
    maxResponseBytes: positiveNumber(parsed, 'max-bytes', DEFAULT_SEND_OPTIONS.maxResponseBytes),
  };
}

/** The event a streaming test renders: `--event file.json`, or a sample by name (`--sample "Email Open"`). */
function eventOf(parsed: Parsed, role: StreamingRole): Record<string, unknown> {
  const file = parsed.values.get('event');
  if (file) {
    let value: unknown;
    try {
      value = JSON.parse(readOptionFile(file, 'The event file')) as unknown;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`${file}: the event must be a JSON object (${(error as Error).message}).`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new UsageError(`${file}: the event must be a JSON object.`);
    return value as Record<string, unknown>;
  }
  const name = parsed.values.get('sample');
  const samples = samplesFor(role);
  const sample = name ? samples.find((s) => s.name.toLowerCase() === name.toLowerCase()) : samples[0];
  if (!sample) throw new UsageError(`--sample must be one of: ${samples.map((s) => s.name).join(', ')}.`);
  return sample.event;
}

async function specOf(parsed: Parsed, analysis: ManifestAnalysis): Promise<TestSpec> {
  const names = testNames(analysis);
  const name = parsed.values.get('endpoint');
  if (name !== undefined && !(names as string[]).includes(name)) {
    throw new UsageError(
      `--endpoint must be one of ${names.join(', ')}${names.length ? '' : ' (none here)'}, not "${name}".`,
    );
  }
  const csv = await usersCsv(parsed);
  const values = csv ? withCohort(testValues(parsed), csv.cohort) : testValues(parsed);
  const users = userSource(parsed, csv, mappingVariables(analysis), 3);
  return {
    name: name as TestName | undefined,
    values,
    users: users.slice(0, Math.min(users.count, 10_000)),
    listId: listIdOption(parsed),
    membership: membershipOption(parsed),
    target: targetOption(parsed),
    event: analysis.model.kind === 'event-streaming' && name !== 'identify' ? eventOf(parsed, 'events') : undefined,
    identify:
      analysis.model.kind === 'event-streaming' && name === 'identify' ? eventOf(parsed, 'identify') : undefined,
    ingestionEndpoint: parsed.values.get('api-endpoint'),
  };
}

function print(
  io: Io,
  format: string,
  result: EndpointTestResult | { dryRun: true; requests: EndpointTestResult['request'][] },
): void {
  if ('dryRun' in result) {
    const secrets = result.requests.flatMap((r) => r.secrets);
    if (format === 'json')
      io.out(mask(JSON.stringify({ dryRun: true, requests: result.requests.map(requestJson) }, null, 2), secrets));
    else io.out(result.requests.map((r, i) => requestText(r, `${i + 1}`)).join('\n\n'));
    return;
  }
  if (format === 'json') {
    io.out(
      mask(
        JSON.stringify({ ...result, request: requestJson(result.request), failed: testFailed(result) }, null, 2),
        result.request.secrets,
      ),
    );
  } else io.out(resultLines(result).join('\n'));
}

/** A test's outcome for JUnit: passed, or failed with what Amplitude would show (status, classification). */
function outcomeOf(result: EndpointTestResult): Outcome {
  const hide = (text: string) => mask(text, result.request.secrets);
  const detail = hide(resultLines(result).join('\n'));
  const seconds = result.result.timing.totalMs / 1000;
  if (!testFailed(result)) return { name: result.endpoint, group: 'test', ok: true, detail, seconds };
  const answer = result.result.ok
    ? `${result.result.status} ${result.result.statusText}`
    : `no answer: ${hide(result.result.message)}`;
  const classification = result.classification
    ? `; ${result.classification.kind}: ${result.classification.message}`
    : '';
  const listId = result.listId?.ok === false ? `; ${result.listId.problem}` : '';
  return {
    name: result.endpoint,
    group: 'test',
    ok: false,
    failure: `${answer}${classification}${listId}`,
    detail,
    seconds,
  };
}

/**
 * Every endpoint in order (list creation first), each list id passed on: one JUnit test case per endpoint.
 * A call that cannot be built (no list id after a failed list creation) is a failed case, not the end.
 */
async function runEvery(
  analysis: ManifestAnalysis,
  spec: TestSpec,
  sender: EndpointSender,
  render: BodyRenderer | undefined,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let listId = spec.listId;
  for (const name of spec.name ? [spec.name] : testNames(analysis)) {
    try {
      const result = await runTest(analysis, { ...spec, name, listId }, sender, render);
      if (result.listId?.ok) listId = result.listId.listId;
      outcomes.push(outcomeOf(result));
    } catch (error) {
      if (!(error instanceof RequestBuildError)) throw error;
      outcomes.push({ name, group: 'test', ok: false, failure: error.message });
    }
  }
  return outcomes;
}

export async function testCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(args, {
    ...SEND_OPTIONS,
    ...DESCRIPTION_OPTIONS,
    endpoint: { type: 'string' },
    'api-endpoint': { type: 'string' },
    sample: { type: 'string' },
    event: { type: 'string' },
    jar: { type: 'string' },
    membership: { type: 'string' },
  });
  const format = choice(parsed, 'format', ['text', 'json', 'junit'] as const, 'text');
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) throw new UsageError('test needs one manifest.');
  const analysis = analyzeForTest(file);
  const description = descriptionFile(file, analysis, parsed);
  if (!description) return testWith(file, analysis, parsed, format, io);
  // Against the mock that plays the partner's API description: what the real API would refuse fails here.
  return withDescriptionMock(description, analysis, io, format === 'text', (target) => {
    parsed.values.set('target', target);
    return testWith(file, analysis, parsed, format, io);
  });
}

async function testWith(file: string, analysis: ManifestAnalysis, parsed: Parsed, format: string, io: Io) {
  const spec = await specOf(parsed, analysis);
  const worker = analysis.model.kind === 'event-streaming' ? workerFor(parsed.values.get('jar')) : undefined;
  const render: BodyRenderer | undefined = worker
    ? cliRenderer(worker, analysis.model.streaming, manifestScope(file))
    : undefined;
  const sender = new EndpointSender(sendOptions(parsed, io));
  try {
    if (parsed.flags.has('dry-run')) {
      const requests = await planTest(analysis, spec, render);
      print(io, format, { dryRun: true, requests: requests.slice(0, 1) });
      if (requests.length > 1)
        io.err(`(a test sends the first of ${requests.length} batches; simulate sends them all)`);
      return 0;
    }
    if (format === 'junit') {
      const outcomes = await runEvery(analysis, spec, sender, render);
      io.out(formatOutcomesJunit(`amplitude-integration test ${path.basename(file)}`, outcomes));
      return outcomes.every((o) => o.ok) ? 0 : 1;
    }
    const result = await runTest(analysis, spec, sender, render);
    print(io, format, result);
    return testFailed(result) ? 1 : 0;
  } catch (error) {
    if (error instanceof RequestBuildError) {
      io.err(`amplitude-integration: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    worker?.dispose();
    await sender.close();
  }
}
