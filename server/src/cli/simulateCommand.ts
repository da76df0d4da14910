import * as path from 'path';
import { mask } from '../base/mask';
import type { ManifestAnalysis } from '../analysis';
import type { EndpointName } from '../manifest/model';
import { mappingVariables, planEndpoint } from '../testing/endpointTest';
import type { ListId } from '../testing/listId';
import { RequestBuildError, type BuiltRequest } from '../testing/request';
import { simulateSync, type SimulateOptions } from '../testing/simulate';
import { EndpointSender } from '../testing/send';
import { firstUsers, listedUsers, type UserSource } from '../testing/users';
import {
  choice,
  listIdOption,
  parseCommandArgs,
  targetOption,
  testValues,
  usersCsv,
  userSource,
  wholeNumber,
  withCohort,
  MAX_GENERATED_USERS,
} from './args';
import { UsageError, type Io } from './io';
import { analyzeForTest } from './manifestFiles';
import { requestJson, requestText, summaryLines } from './report';
import { SEND_OPTIONS, sendOptions } from './testCommand';

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

export async function simulateCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(args, {
    ...SEND_OPTIONS,
    remove: { type: 'string' },
    concurrency: { type: 'string' },
  });
  const format = choice(parsed, 'format', ['text', 'json'] as const, 'text');
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) throw new UsageError('simulate needs one manifest.');
  const analysis = analyzeForTest(file);
  if (analysis.model.kind !== 'cohort-list' && analysis.model.kind !== 'cohort-property') {
    throw new UsageError('simulate runs cohort syncs: the manifest must be cohort-list or cohort-property.');
  }
  const csv = usersCsv(parsed);
  const added = userSource(parsed, csv, mappingVariables(analysis), 25_000);
  // A CSV names who leaves the cohort ("remove" rows); otherwise the first --remove of the added users.
  const removed = csv
    ? listedUsers(csv.remove)
    : firstUsers(added, wholeNumber(parsed, 'remove', Math.floor(added.count / 10), MAX_GENERATED_USERS));
  const values = csv ? withCohort(testValues(parsed), csv.cohort) : testValues(parsed);
  const options = {
    values,
    added,
    removed,
    target: targetOption(parsed),
    listId: listIdOption(parsed),
    concurrency: wholeNumber(parsed, 'concurrency', 4, 64) || 4,
  };
  try {
    if (parsed.flags.has('dry-run')) {
      if (added.count + removed.count > DRY_RUN_MAX_USERS) {
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
    const sender = new EndpointSender(sendOptions(parsed));
    try {
      const summary = await simulateSync(analysis, options, sender);
      if (format === 'json') io.out(JSON.stringify(summary, null, 2));
      else io.out(summaryLines(path.basename(file), summary).join('\n'));
      const failed = summary.problem !== undefined || summary.failed > 0 || summary.verification?.status === 'mismatch';
      return failed ? 1 : 0;
    } finally {
      await sender.close();
    }
  } catch (error) {
    if (error instanceof RequestBuildError) {
      io.err(`amplitude-integration: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
