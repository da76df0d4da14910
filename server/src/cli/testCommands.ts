import * as fs from 'fs';
import * as path from 'path';
import { analyzeManifest, type ManifestAnalysis } from '../analysis';
import { ENDPOINT_NAMES, type EndpointName } from '../manifest/model';
import { nodeFiles } from '../manifest/nodeFiles';
import { mask, RequestBuildError } from '../testing/request';
import { DEFAULT_SEND_OPTIONS, EndpointSender, type SendOptions } from '../testing/send';
import {
  buildIngestionRequest,
  endpointNames,
  retarget,
  simulateSync,
  testEndpoint,
  type EndpointTestResult,
} from '../testing/run';
import { DEFAULT_TEST_VALUES, generateUsers, parseUsersCsv, type SampleUser, type TestValues } from '../testing/values';
import { SAMPLE_EVENTS } from '../freemarker/sampleEvents';
import { buildStreamingRequest, renderBody } from '../freemarker/streaming';
import { workerFor } from './renderCommand';
import { UsageError } from './validate';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface Flags {
  positional: string[];
  options: Map<string, string>;
}

/** `--name value` and `--name=value`; every option here takes a value. */
export function parseFlags(args: string[], known: string[]): Flags {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!known.includes(name)) throw new UsageError(`Unknown option --${name}.`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value.`);
    options.set(name, value);
  }
  return { positional, options };
}

/** `--membership entered|left`: which of the two property-based update calls to send. */
function membershipFrom(flags: Flags): boolean | undefined {
  const value = flags.options.get('membership');
  if (value === undefined) return undefined;
  if (value !== 'entered' && value !== 'left') throw new UsageError('--membership must be "entered" or "left".');
  return value === 'entered';
}

function readManifest(file: string): ManifestAnalysis {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: cannot be read.`);
  }
  const analysis = analyzeManifest(text, { baseDir: path.dirname(path.resolve(file)), files: nodeFiles });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (analysis.doc.syntaxProblems.length > 0)
    throw new UsageError(`${file} is not valid JSON: run "validate" first (${errors.length} errors).`);
  return analysis;
}

/** Test values: a JSON file of name -> value, with AMPLITUDE_VALUE_<NAME> environment variables on top (for secrets in CI). */
function readValues(file: string | undefined): TestValues {
  let variables: Record<string, string> = {};
  if (file) {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      variables = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch (error) {
      throw new UsageError(
        `${file}: must be a JSON object of variable name to value (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
  }
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('AMPLITUDE_VALUE_') && value !== undefined)
      variables[key.slice('AMPLITUDE_VALUE_'.length).toLowerCase()] = value;
  }
  return {
    ...DEFAULT_TEST_VALUES,
    ...pick(variables, ['amp_cohort_name', 'amp_cohort_id', 'amp_cohort_url']),
    variables,
  };
}

function pick(variables: Record<string, string>, keys: string[]): Partial<TestValues> {
  const out: Partial<TestValues> = {};
  if (variables[keys[0]]) out.cohortName = variables[keys[0]];
  if (variables[keys[1]]) out.cohortId = variables[keys[1]];
  if (variables[keys[2]]) out.cohortUrl = variables[keys[2]];
  return out;
}

function sendOptions(flags: Flags): SendOptions {
  const ms = (name: string, fallback: number) => {
    const value = flags.options.get(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number.`);
    return n;
  };
  const timeout = ms('timeout', DEFAULT_SEND_OPTIONS.headersTimeoutMs);
  return {
    ...DEFAULT_SEND_OPTIONS,
    connectTimeoutMs: Math.min(timeout, DEFAULT_SEND_OPTIONS.connectTimeoutMs),
    headersTimeoutMs: timeout,
    bodyTimeoutMs: timeout,
    maxResponseBytes: ms('max-bytes', DEFAULT_SEND_OPTIONS.maxResponseBytes),
  };
}

function usersFrom(flags: Flags, analysis: ManifestAnalysis, fallback: number): SampleUser[] {
  const csv = flags.options.get('users-csv');
  if (csv) {
    try {
      return parseUsersCsv(fs.readFileSync(csv, 'utf8')).add;
    } catch (error) {
      throw new UsageError(`${csv}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const count = Number(flags.options.get('users') ?? fallback);
  if (!Number.isInteger(count) || count < 0) throw new UsageError('--users must be a whole number.');
  return generateUsers(
    count,
    analysis.model.declarations.filter((d) => d.source === 'mappingField').map((d) => d.name),
  );
}

function describeResult(r: EndpointTestResult): string[] {
  const lines = [
    `${r.endpoint}: ${r.request.method} ${mask(r.request.url, r.request.secrets)}${r.batches > 1 ? ` (batch 1 of ${r.batches})` : ''}`,
  ];
  if (!r.result.ok) {
    lines.push(`  failed after ${r.result.timing.totalMs.toFixed(0)} ms: ${mask(r.result.message, r.request.secrets)}`);
    return lines;
  }
  const t = r.result.timing;
  lines.push(
    `  ${r.result.status} ${r.result.statusText} in ${t.totalMs.toFixed(0)} ms (waiting ${t.waitingMs.toFixed(0)} ms, download ${t.downloadMs.toFixed(0)} ms), ${r.result.bytes} bytes${r.result.truncated ? ' (truncated)' : ''}`,
  );
  if (r.result.headers['retry-after'])
    lines.push(`  Retry-After: ${r.result.headers['retry-after']} (Amplitude retries with exponential backoff)`);
  if (r.result.redirectTo)
    lines.push(`  redirect to ${r.result.redirectTo} (not followed: Amplitude does not follow redirects)`);
  if (r.classification)
    lines.push(
      `  ${r.classification.kind === 'classified' ? `classified as "${r.classification.failureReason}"${r.classification.from !== r.endpoint ? ` (errors copied from ${r.classification.from})` : ''}` : 'unclassified'}: ${r.classification.message}`,
    );
  if (r.listId) lines.push(r.listId.ok ? `  list id: ${r.listId.listId}` : `  ${r.listId.problem}`);
  return lines;
}

export async function testCommand(args: string[], io: Io): Promise<number> {
  const flags = parseFlags(args, [
    'endpoint',
    'values',
    'users',
    'users-csv',
    'list-id',
    'target',
    'format',
    'timeout',
    'max-bytes',
    'api-endpoint',
    'sample',
    'jar',
    'membership',
  ]);
  const [file] = flags.positional;
  if (!file || flags.positional.length > 1) throw new UsageError('test needs one manifest.');
  const format = flags.options.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be "text" or "json".');
  const analysis = readManifest(file);
  const values = readValues(flags.options.get('values'));
  const sender = new EndpointSender(sendOptions(flags));
  try {
    let result: EndpointTestResult;
    if (analysis.model.kind === 'event-ingestion') {
      const apiKey = values.variables.api_key;
      if (!apiKey)
        throw new UsageError(
          'An event ingestion test needs the project API key: "api_key" in --values, or AMPLITUDE_VALUE_API_KEY.',
        );
      const request = retarget(
        buildIngestionRequest(analysis.doc.value, apiKey, flags.options.get('api-endpoint')),
        flags.options.get('target'),
      );
      result = { endpoint: 'events', request, batches: 1, result: await sender.send(request) };
    } else if (analysis.model.kind === 'event-streaming') {
      const worker = workerFor(flags.options.get('jar'), 5000);
      try {
        const sample =
          SAMPLE_EVENTS.find(
            (s) => s.name.toLowerCase() === (flags.options.get('sample') ?? SAMPLE_EVENTS[0].name).toLowerCase(),
          ) ?? SAMPLE_EVENTS[0];
        const rendered = await renderBody(
          worker,
          analysis.doc.value,
          path.dirname(path.resolve(file)),
          sample.event,
          values.variables,
        );
        if (!rendered.result.ok) {
          io.err(
            `${rendered.templatePath}:${rendered.result.error.line}:${rendered.result.error.column}: ${rendered.result.error.message}`,
          );
          return 1;
        }
        if (rendered.jsonProblem) io.err(`warning: the rendered body is not valid JSON (${rendered.jsonProblem}).`);
        const request = retarget(
          buildStreamingRequest(analysis.doc.value, rendered.result.output, values.variables),
          flags.options.get('target'),
        );
        result = { endpoint: 'events', request, batches: 1, result: await sender.send(request) };
      } finally {
        worker.dispose();
      }
    } else {
      const names = endpointNames(analysis);
      if (names.length === 0) throw new UsageError(`${file} has no endpoints to test.`);
      const endpoint = flags.options.get('endpoint') ?? names[0];
      if (!(ENDPOINT_NAMES as readonly string[]).includes(endpoint) || !names.includes(endpoint as EndpointName))
        throw new UsageError(`--endpoint must be one of ${names.join(', ')}.`);
      result = await testEndpoint(
        analysis,
        endpoint as EndpointName,
        {
          values,
          users: usersFrom(flags, analysis, 3),
          listId: flags.options.get('list-id'),
          target: flags.options.get('target'),
          membership: membershipFrom(flags),
        },
        sender,
      );
    }
    if (format === 'json') {
      io.out(
        mask(
          JSON.stringify({ ...result, request: { ...result.request, secrets: undefined } }, null, 2),
          result.request.secrets,
        ),
      );
    } else {
      io.out(describeResult(result).join('\n'));
    }
    const succeeded =
      result.result.ok && result.result.status >= 200 && result.result.status < 300 && result.listId?.ok !== false;
    return succeeded ? 0 : 1;
  } catch (error) {
    if (error instanceof RequestBuildError) throw new UsageError(error.message);
    throw error;
  } finally {
    await sender.close();
  }
}

export async function simulateCommand(args: string[], io: Io): Promise<number> {
  const flags = parseFlags(args, [
    'values',
    'users',
    'remove',
    'target',
    'format',
    'timeout',
    'max-bytes',
    'list-id',
    'users-csv',
  ]);
  const [file] = flags.positional;
  if (!file) throw new UsageError('simulate needs one manifest.');
  const analysis = readManifest(file);
  if (analysis.model.kind !== 'cohort-list' && analysis.model.kind !== 'cohort-property')
    throw new UsageError('simulate runs cohort syncs: the manifest must be cohort-list or cohort-property.');
  const users = usersFrom(flags, analysis, 25_000);
  const csv = flags.options.get('users-csv');
  // A CSV names who leaves the cohort ("remove" rows); otherwise the first --remove of the added users.
  const removeUsers = csv ? parseUsersCsv(fs.readFileSync(csv, 'utf8')).remove : undefined;
  const remove = removeUsers?.length ?? Number(flags.options.get('remove') ?? Math.floor(users.length / 10));
  const sender = new EndpointSender(sendOptions(flags));
  try {
    const summary = await simulateSync(
      analysis,
      {
        values: readValues(flags.options.get('values')),
        users,
        add: users.length,
        remove,
        removeUsers,
        target: flags.options.get('target'),
        listId: flags.options.get('list-id'),
      },
      sender,
    );
    if (flags.options.get('format') === 'json') {
      io.out(JSON.stringify(summary, null, 2));
    } else {
      io.out(
        [
          `Simulated sync of ${path.basename(file)}: ${summary.requests} requests in ${(summary.durationMs / 1000).toFixed(1)} s${summary.listId ? `, list ${summary.listId}` : ''}`,
          `  users added ${summary.users.added}, removed ${summary.users.removed}`,
          `  statuses: ${
            Object.entries(summary.statusCounts)
              .map(([k, v]) => `${k} x${v}`)
              .join(', ') || 'none'
          }`,
          ...Object.entries(summary.classified).map(([k, v]) => `  classified error "${k}" x${v}`),
          `  latency p50 ${summary.latencyMs.p50.toFixed(0)} ms, p95 ${summary.latencyMs.p95.toFixed(0)} ms`,
          ...(summary.problem ? [`  stopped: ${summary.problem}`] : []),
        ].join('\n'),
      );
    }
    const failed = summary.problem !== undefined || Object.keys(summary.statusCounts).some((s) => !/^2\d\d$/.test(s));
    return failed ? 1 : 0;
  } finally {
    await sender.close();
  }
}
