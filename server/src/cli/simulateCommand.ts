import { replayCommand } from './replayCommand';
import { formatOutcomesJunit, type Outcome } from '../reports/junit';
import * as path from 'path';
import { mask } from '../base/mask';
import type { ManifestAnalysis } from '../analysis';
import type { EndpointName } from '../manifest/model';
import { mappingVariables, planEndpoint } from '../testing/endpointTest';
import type { ListId } from '../testing/cohort/listId';
import { RequestBuildError, type BuiltRequest } from '../testing/request';
import { simulateSync, type SimulateOptions, type SyncSummary } from '../testing/cohort/simulate';
import { simulateSchedule, type ScheduleReport } from '../testing/cohort/schedule';
import { EndpointSender } from '../testing/send';
import { firstUsers, type UserSource } from '../testing/cohort/users';
import {
  choice,
  listIdOption,
  parseCommandArgs,
  positiveNumber,
  targetOption,
  testValues,
  usersCsv,
  userSource,
  wholeNumber,
  withCohort,
  MAX_GENERATED_USERS,
  type Parsed,
} from './args';
import { UsageError, type Io } from './io';
import { analyzeForTest } from './manifestFiles';
import { requestJson, requestText, scheduleLines, scheduleSyncLines, summaryLines } from './report';
import { SEND_OPTIONS, sendOptions } from './testCommand';
import { DESCRIPTION_OPTIONS, descriptionFile, withDescriptionMock } from './apiDescriptionMock';

/** What the list id is called in a dry run, where list creation has not answered: it stands in the requests as text. */
const DRY_RUN_LIST_ID = '{list id from list creation}';
const DRY_RUN_MAX_USERS = 1_000_000;

/** Every request of the sync, in order, built but not sent. */
function planSync(
  analysis: ManifestAnalysis,
  options: SimulateOptions & { added: UserSource; removed: UserSource },
): BuiltRequest[] {
  const names = analysis.model.endpoints.map((e) => e.name);
  const requests: BuiltRequest[] = [];
  const listId: ListId | undefined = options.listId ?? (names.includes('listCreation') ? DRY_RUN_LIST_ID : undefined);
  if (names.includes('listCreation') && options.listId === undefined)
    requests.push(...planEndpoint(analysis, 'listCreation', options));
  const property = names.includes('update');
  const calls: [EndpointName, UserSource, boolean][] = property
    ? [
        ['update', options.added, true],
        ['update', options.removed, false],
      ]
    : [
        ['addUsers', options.added, true],
        ['removeUsers', options.removed, false],
      ];
  for (const [name, users, membership] of calls) {
    if (users.count === 0) continue;
    requests.push(
      ...planEndpoint(analysis, name, { ...options, listId, membership, users: users.slice(0, users.count) }),
    );
  }
  return requests;
}

/** Two JUnit scenarios: every request of the sync answered as success, and the partner's end state. */
function syncJunit(name: string, summary: SyncSummary): string {
  const detail = summaryLines(name, summary).join('\n');
  const statuses = Object.entries(summary.statusCounts)
    .map(([k, v]) => `${k} x${v}`)
    .join(', ');
  const classified = Object.entries(summary.classified)
    .map(([k, v]) => `${k} x${v}`)
    .join(', ');
  const requestsFailed = summary.problem !== undefined || summary.failed > 0;
  const outcomes: Outcome[] = [
    {
      name: `${summary.requests} requests for ${summary.users.added} added and ${summary.users.removed} removed users`,
      group: 'simulate',
      ok: !requestsFailed,
      failure: [summary.problem, `${summary.failed} failed (${statuses})`, classified].filter(Boolean).join('; '),
      detail,
      seconds: summary.durationMs / 1000,
    },
  ];
  if (summary.verification && summary.verification.status !== 'unverifiable') {
    const { status, message, differences } = summary.verification;
    const failure = [message, ...differences].join('\n');
    outcomes.push({ name: 'end state on the partner', group: 'simulate', ok: status === 'verified', failure });
  }
  return formatOutcomesJunit(`amplitude-integration simulate ${name}`, outcomes);
}

const SIMULATE_OPTIONS = {
  ...SEND_OPTIONS,
  ...DESCRIPTION_OPTIONS,
  remove: { type: 'string' },
  concurrency: { type: 'string' },
  events: { type: 'string' },
  'events-file': { type: 'string' },
  'rate-limit': { type: 'string' },
  'time-scale': { type: 'string' },
  syncs: { type: 'string' },
  cohorts: { type: 'string' },
  churn: { type: 'string' },
  seed: { type: 'string' },
  jar: { type: 'string' },
} as const;

async function syncOptions(parsed: Parsed, analysis: ManifestAnalysis) {
  const csv = await usersCsv(parsed);
  const added = userSource(parsed, csv, mappingVariables(analysis), 25_000);
  // A CSV names who leaves the cohort ("remove" rows); otherwise the first --remove of the added users.
  const removed = csv
    ? csv.remove
    : firstUsers(added, wholeNumber(parsed, 'remove', Math.floor(added.count / 10), MAX_GENERATED_USERS));
  return {
    values: csv ? withCohort(testValues(parsed), csv.cohort) : testValues(parsed),
    added,
    removed,
    target: targetOption(parsed),
    listId: listIdOption(parsed),
    concurrency: wholeNumber(parsed, 'concurrency', 4, 64) || 4,
    // Amplitude's retry waits (1 s doubling to 128 s), scaled: the default takes 255 ms for all eight.
    timeScale: positiveNumber(parsed, 'time-scale', 0.001),
  };
}

/** --dry-run: every request of the sync, printed, none sent. */
type SyncOptions = Awaited<ReturnType<typeof syncOptions>>;

function dryRun(analysis: ManifestAnalysis, options: SyncOptions, format: string, io: Io): number {
  if (options.added.count + options.removed.count > DRY_RUN_MAX_USERS) {
    throw new UsageError(`--dry-run prints every request: use at most ${DRY_RUN_MAX_USERS} users.`);
  }
  const requests = planSync(analysis, options);
  const secrets = requests.flatMap((r) => r.secrets);
  if (format === 'json')
    io.out(mask(JSON.stringify({ dryRun: true, requests: requests.map(requestJson) }, null, 2), secrets));
  else io.out(requests.map((r, i) => requestText(r, `${i + 1}`)).join('\n\n'));
  io.err(`${requests.length} requests planned, none sent (dry run).`);
  return 0;
}

async function runSync(file: string, analysis: ManifestAnalysis, parsed: Parsed, format: string, io: Io) {
  const options = await syncOptions(parsed, analysis);
  if (parsed.flags.has('dry-run')) return dryRun(analysis, options, format, io);
  const sender = new EndpointSender(sendOptions(parsed, io));
  try {
    const summary = await simulateSync(analysis, options, sender);
    if (format === 'json') io.out(JSON.stringify(summary, null, 2));
    else if (format === 'junit') io.out(syncJunit(path.basename(file), summary));
    else io.out(summaryLines(path.basename(file), summary).join('\n'));
    const failed = summary.problem !== undefined || summary.failed > 0 || summary.verification?.status === 'mismatch';
    return failed ? 1 : 0;
  } finally {
    await sender.close();
  }
}

const SCHEDULE_FLAGS = ['syncs', 'cohorts', 'churn', 'seed'];

/** `--churn`: a fraction of each cohort (0.1) or a count of users (25) entering and leaving per delta sync. */
function churnOption(parsed: Parsed, members: number): number {
  const value = parsed.values.get('churn');
  if (value === undefined) return Math.max(1, Math.round(members / 10));
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (n >= 1 && !Number.isInteger(n)))
    throw new UsageError(`--churn must be a fraction below 1 (0.1) or a whole number of users, not "${value}".`);
  return n;
}

function scheduleJunit(name: string, report: ScheduleReport): string {
  const outcomes: Outcome[] = report.syncs.map((sync) => {
    const failures = sync.cohorts.flatMap(({ cohort, summary: s }) =>
      s.problem !== undefined || s.failed > 0 ? [`${cohort}: ${s.problem ?? `${s.failed} requests failed`}`] : [],
    );
    if (sync.verification?.status === 'mismatch')
      failures.push(sync.verification.message, ...sync.verification.differences);
    const seconds = sync.cohorts.reduce((t, c) => t + c.summary.durationMs / 1000, 0);
    return {
      name: `sync ${sync.sync} (${sync.kind})`,
      group: 'simulate',
      ok: failures.length === 0,
      failure: failures.join('\n'),
      detail: scheduleSyncLines(sync).join('\n'),
      seconds,
    };
  });
  return formatOutcomesJunit(`amplitude-integration simulate ${name}`, outcomes);
}

async function runSchedule(file: string, analysis: ManifestAnalysis, parsed: Parsed, format: string, io: Io) {
  if (parsed.flags.has('dry-run') || parsed.values.has('users-csv') || parsed.values.has('remove'))
    throw new UsageError(
      '--syncs, --cohorts and --churn generate the users: not with --dry-run, --users-csv or --remove.',
    );
  const base = await syncOptions(parsed, analysis);
  const members = base.added.count;
  const options = {
    ...base,
    syncs: wholeNumber(parsed, 'syncs', 1, 100) || 1,
    cohorts: wholeNumber(parsed, 'cohorts', 1, 20) || 1,
    members,
    churn: churnOption(parsed, members),
    seed: wholeNumber(parsed, 'seed', 1, 2 ** 31),
  };
  const sender = new EndpointSender(sendOptions(parsed, io));
  try {
    const report = await simulateSchedule(analysis, options, sender);
    if (format === 'json') io.out(JSON.stringify(report, null, 2));
    else if (format === 'junit') io.out(scheduleJunit(path.basename(file), report));
    else io.out(scheduleLines(path.basename(file), report).join('\n'));
    const failed = report.syncs.some(
      (s) =>
        s.verification?.status === 'mismatch' ||
        s.cohorts.some((c) => c.summary.problem !== undefined || c.summary.failed > 0),
    );
    return failed ? 1 : 0;
  } finally {
    await sender.close();
  }
}

export async function simulateCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(args, SIMULATE_OPTIONS);
  const format = choice(parsed, 'format', ['text', 'json', 'junit'] as const, 'text');
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) throw new UsageError('simulate needs one manifest.');
  const analysis = analyzeForTest(file);
  const description = descriptionFile(file, analysis, parsed);
  if (!description) return simulateWith(file, analysis, parsed, format, io);
  // Against the mock that plays the partner's API description: what the real API would refuse fails here.
  return withDescriptionMock(description, analysis, io, format === 'text', (target) => {
    parsed.values.set('target', target);
    return simulateWith(file, analysis, parsed, format, io);
  });
}

async function simulateWith(file: string, analysis: ManifestAnalysis, parsed: Parsed, format: string, io: Io) {
  if (analysis.model.kind === 'event-streaming') return replayCommand(file, analysis, parsed, io, format);
  if (analysis.model.kind !== 'cohort-list' && analysis.model.kind !== 'cohort-property') {
    throw new UsageError(
      'simulate runs cohort syncs and event streaming replays: the manifest must be cohort-list, ' +
        'cohort-property or event-streaming.',
    );
  }
  try {
    if (SCHEDULE_FLAGS.some((flag) => parsed.values.has(flag)))
      return await runSchedule(file, analysis, parsed, format, io);
    return await runSync(file, analysis, parsed, format, io);
  } catch (error) {
    if (error instanceof RequestBuildError) {
      io.err(`amplitude-integration: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
