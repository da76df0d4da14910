import type { ManifestAnalysis } from '../../analysis';
import { mappingVariables } from '../endpointTest';
import type { ListId } from './listId';
import type { EndpointSender } from '../send';
import { simulateSync, type SimulateOptions, type SyncSummary } from './simulate';
import { userAt, type UserSource } from './users';
import type { TestValues } from '../values';
import { verifyCohorts, type CohortExpectation, type Verification } from '../verify';
import { seededRandom } from '../../base/random';

/**
 * Cohort syncs as Amplitude schedules them, from "Receiving Behavioral Cohorts"
 * (https://amplitude.com/docs/partners/receiving-behavioral-cohorts): the first sync sends the whole cohort (list
 * creation, then every member added), later syncs only the users who entered or left since; each cohort is its
 * own sync (its own list, or its own property), so a user in several cohorts gets a request per cohort.
 */
export interface ScheduleOptions extends Omit<SimulateOptions, 'added' | 'removed' | 'add' | 'remove' | 'verify'> {
  syncs: number;
  cohorts: number;
  /** Each cohort's members at the first sync. */
  members: number;
  /** Users who leave (and as many who enter) each cohort at each later sync: a fraction below 1, or a count. */
  churn: number;
  /** The churn's random choices repeat for one seed. */
  seed?: number;
}

export interface CohortSync {
  cohort: string;
  summary: SyncSummary;
}

export interface ScheduledSync {
  /** 1-based */
  sync: number;
  kind: 'full' | 'delta';
  cohorts: CohortSync[];
  /** The partner's end state after this sync against every cohort's membership. */
  verification?: Verification;
}

export interface ScheduleReport {
  syncs: ScheduledSync[];
  /** Property-based: why one cohort overwrites another (the update says no cohort), when it does. */
  overwrite?: string;
}

function indexedUsers(indexes: readonly number[], variables: readonly string[]): UserSource {
  return {
    count: indexes.length,
    slice: (from, to) => indexes.slice(from, to).map((i) => userAt(i, variables)),
  };
}

/** One cohort of the schedule: who is in it now, who left it, and its list on the partner. */
interface CohortState {
  name: string;
  values: TestValues;
  members: Set<number>;
  left: Set<number>;
  listId?: ListId;
}

function cohortsOf(options: ScheduleOptions): CohortState[] {
  const half = Math.max(1, Math.floor(options.members / 2));
  return Array.from({ length: options.cohorts }, (_, k) => {
    const id = `coh_sim_${String(k + 1).padStart(2, '0')}`;
    // One cohort keeps the values given; several get their own names, overlapping by half their members.
    const values: TestValues =
      options.cohorts === 1
        ? options.values
        : {
            ...options.values,
            cohortName: `Simulated cohort ${String(k + 1).padStart(2, '0')}`,
            cohortId: id,
            cohortUrl: `https://app.amplitude.com/analytics/demo/cohort/${id}`,
          };
    const members = new Set(Array.from({ length: options.members }, (_, i) => k * half + i));
    return { name: values.cohortName, values, members, left: new Set<number>(), listId: options.listId };
  });
}

/** Who enters and leaves a cohort at a delta sync: `churn` of its members leave, as many enter (some come back). */
function churnOf(cohort: CohortState, churn: number, random: () => number, fresh: () => number) {
  const size = cohort.members.size;
  const n = Math.min(size, churn < 1 ? Math.round(churn * size) : Math.floor(churn));
  const members = [...cohort.members];
  const leaving: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = i + Math.floor(random() * (members.length - i));
    [members[i], members[at]] = [members[at], members[i]];
    leaving.push(members[i]);
  }
  const returning = [...cohort.left].filter(() => random() < 0.25).slice(0, Math.floor(n / 2));
  const entering = [...returning, ...Array.from({ length: n - returning.length }, fresh)];
  return { entering, leaving };
}

function apply(cohort: CohortState, entering: readonly number[], leaving: readonly number[]): void {
  for (const user of leaving) {
    cohort.members.delete(user);
    cohort.left.add(user);
  }
  for (const user of entering) {
    cohort.members.add(user);
    cohort.left.delete(user);
  }
}

function expectations(cohorts: CohortState[], variables: readonly string[]): CohortExpectation[] {
  return cohorts.map((c) => ({
    name: c.name,
    sentAs: [c.values.cohortId, c.values.cohortName],
    listId: c.listId,
    members: indexedUsers([...c.members], variables),
    left: indexedUsers([...c.left], variables),
  }));
}

function overwriteOf(analysis: ManifestAnalysis, cohorts: number): string | undefined {
  if (cohorts < 2 || !analysis.diagnostics.some((d) => d.code === 'cohorts-overwrite')) return undefined;
  return (
    'cohorts overwrite one another: the update names no cohort ($amp_cohort_name, $amp_cohort_id), so the ' +
    'partner keeps one value a user and the last cohort synced wins (diagnostic cohorts-overwrite)'
  );
}

/** `syncs` syncs of `cohorts` cohorts to one destination, the partner's end state verified after each. */
export async function simulateSchedule(
  analysis: ManifestAnalysis,
  options: ScheduleOptions,
  sender: EndpointSender,
  signal?: AbortSignal,
): Promise<ScheduleReport> {
  const variables = mappingVariables(analysis);
  const random = seededRandom(options.seed ?? 1);
  const cohorts = cohortsOf(options);
  let next = Math.max(...cohorts.flatMap((c) => [...c.members]), -1) + 1;
  const report: ScheduleReport = { syncs: [], overwrite: overwriteOf(analysis, options.cohorts) };
  for (let sync = 1; sync <= options.syncs && !signal?.aborted; sync++) {
    const scheduled: ScheduledSync = { sync, kind: sync === 1 ? 'full' : 'delta', cohorts: [] };
    for (const cohort of cohorts) {
      if (signal?.aborted) break;
      const change =
        sync === 1
          ? { entering: [...cohort.members], leaving: [] }
          : churnOf(cohort, options.churn, random, () => next++);
      const summary = await simulateSync(
        analysis,
        {
          ...options,
          values: cohort.values,
          listId: cohort.listId,
          added: indexedUsers(change.entering, variables),
          removed: indexedUsers(change.leaving, variables),
          verify: false,
        },
        sender,
        signal,
      );
      cohort.listId ??= summary.listId;
      if (sync > 1) apply(cohort, change.entering, change.leaving);
      scheduled.cohorts.push({ cohort: cohort.name, summary });
    }
    if (options.target !== undefined && !signal?.aborted) {
      const input = { analysis, target: options.target, cohorts: expectations(cohorts, variables) };
      scheduled.verification = await verifyCohorts({ ...input, overwrite: report.overwrite }, sender);
    }
    report.syncs.push(scheduled);
  }
  return report;
}
