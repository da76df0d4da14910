import type { ManifestAnalysis } from '../analysis';
import { ownValue } from '../base/records';
import type { EndpointName } from '../manifest/model';
import { forEachStringWith } from '../manifest/model';
import { itemTemplateOf } from '../manifest/portalText';
import { isObject } from '../base/value';
import { scanVariablesIn } from '../manifest/variables';
import type { ListId } from './cohort/listId';
import { userIdentity } from './match';
import type { EndpointSender } from './send';
import { batches, type UserSource } from './cohort/users';

/** Whether the partner's end state is what the sync meant to leave. */
export interface Verification {
  status: 'verified' | 'mismatch' | 'unverifiable';
  message: string;
  /** A few of the users that differ, in words. */
  differences: string[];
}

/** Past this many users the comparison would cost more memory than a sync is worth: it is skipped, saying so. */
const MAX_COMPARED = 2_000_000;
const SHOWN = 5;

/** The mapping fields an item template names: how the mock and this check name each user. */
export function identityFields(analysis: ManifestAnalysis, endpoint: EndpointName): string[] {
  const mapping = new Set(analysis.model.declarations.filter((d) => d.source === 'mappingField').map((d) => d.name));
  const value = analysis.model.endpoints.find((e) => e.name === endpoint)?.value;
  const template = itemTemplateOf(value);
  const found = new Set<string>();
  forEachStringWith('$', template, [], (text) =>
    scanVariablesIn(text, 0, text.length, (name) => {
      if (mapping.has(name)) found.add(name);
    }),
  );
  return [...found].sort();
}

function identities(source: UserSource, fields: readonly string[]): string[] {
  const out: string[] = [];
  for (const batch of batches(source, 10_000)) {
    for (const user of batch)
      out.push(userIdentity(new Map(fields.map((f) => [f, ownValue(user.fields, f)])), undefined));
  }
  return out;
}

export interface MockStateRead {
  mock?: string;
  lists?: Record<string, string[]>;
  properties?: Record<string, boolean | null>;
  cohortProperties?: Record<string, Record<string, boolean | null>>;
  events?: { accepted?: number; received?: number; eventsAccepted?: number };
}

/** The bundled mock's state, or why it cannot be read (another server, or no answer). */
export async function readMockState(target: string, sender: EndpointSender): Promise<MockStateRead | string> {
  const url = `${new URL(target).origin}/__mock/state`;
  const result = await sender.send({ endpoint: 'events', method: 'GET', url, headers: {}, body: '', secrets: [] });
  if (!result.ok || result.status !== 200 || result.headers['x-amplitude-mock'] !== '1') {
    return 'the target is not the bundled mock partner API, so what the partner holds cannot be read';
  }
  try {
    const state = JSON.parse(result.body) as unknown;
    return isObject(state) ? state : 'the mock answered no state';
  } catch {
    return 'the mock state was not JSON';
  }
}

function compareList(expected: Set<string>, actual: readonly string[] | undefined, listId: ListId): Verification {
  if (actual === undefined) {
    return { status: 'mismatch', message: `The mock holds no list ${String(listId)}.`, differences: [] };
  }
  const present = new Set(actual);
  const missing = [...expected].filter((u) => !present.has(u));
  const extra = actual.filter((u) => !expected.has(u));
  if (missing.length === 0 && extra.length === 0) {
    return {
      status: 'verified',
      message: `end state verified: list ${String(listId)} holds the ${expected.size} expected users`,
      differences: [],
    };
  }
  return {
    status: 'mismatch',
    message:
      `list ${String(listId)} holds ${actual.length} users, ${expected.size} were expected: ` +
      `${missing.length} missing, ${extra.length} that should not be there`,
    differences: [
      ...missing.slice(0, SHOWN).map((u) => `${u}: expected in the list, not there`),
      ...extra.slice(0, SHOWN).map((u) => `${u}: in the list, expected removed or never added`),
    ],
  };
}

function compareProperties(
  expected: Map<string, boolean>,
  actual: Record<string, boolean | null> | undefined,
): Verification {
  const state = actual ?? {};
  const wrong: string[] = [];
  let wrongCount = 0;
  for (const [user, value] of expected) {
    const held = Object.hasOwn(state, user) ? state[user] : undefined;
    if (held === value) continue;
    wrongCount++;
    if (wrong.length < SHOWN)
      wrong.push(`${user}: expected ${value}, the partner holds ${held === undefined ? 'nothing' : String(held)}`);
  }
  if (wrongCount === 0) {
    return {
      status: 'verified',
      message: `end state verified: ${expected.size} users hold the expected membership`,
      differences: [],
    };
  }
  return {
    status: 'mismatch',
    message: `${wrongCount} of ${expected.size} users do not hold the expected membership`,
    differences: wrong,
  };
}

export interface VerifyInput {
  analysis: ManifestAnalysis;
  target: string | undefined;
  listId?: ListId;
  added: UserSource;
  removed: UserSource;
}

/**
 * After a sync against the bundled mock: reads what the mock recorded and compares it with what the
 * sync meant (members added minus removed; property-based: true for entered, false for left).
 */
export async function verifyEndState(input: VerifyInput, sender: EndpointSender): Promise<Verification> {
  const { analysis, target } = input;
  if (!target)
    return {
      status: 'unverifiable',
      message: 'not verified: no target to ask (only the bundled mock can be read)',
      differences: [],
    };
  if (input.added.count + input.removed.count > MAX_COMPARED) {
    return {
      status: 'unverifiable',
      message: `not verified: more than ${MAX_COMPARED} users to compare`,
      differences: [],
    };
  }
  const property = analysis.model.kind === 'cohort-property';
  const fields = identityFields(analysis, property ? 'update' : 'addUsers');
  if (fields.length === 0) {
    return {
      status: 'unverifiable',
      message: 'not verified: the item template names no mapping field, so users cannot be told apart',
      differences: [],
    };
  }
  const state = await readMockState(target, sender);
  if (typeof state === 'string') return { status: 'unverifiable', message: `not verified: ${state}`, differences: [] };
  const removed = identities(input.removed, property ? fields : identityFields(analysis, 'removeUsers'));
  if (property) {
    const expected = new Map<string, boolean>(identities(input.added, fields).map((u) => [u, true]));
    for (const user of removed) expected.set(user, false);
    return compareProperties(expected, state.properties);
  }
  const expected = new Set(identities(input.added, fields));
  for (const user of removed) expected.delete(user);
  return compareList(
    expected,
    input.listId === undefined ? undefined : state.lists?.[String(input.listId)],
    input.listId ?? '',
  );
}

/** What one cohort should leave on the partner after a sync of a schedule (schedule.ts). */
export interface CohortExpectation {
  name: string;
  /** Its id and name as sent: how the mock's per-cohort properties are found. */
  sentAs: string[];
  listId?: ListId;
  members: UserSource;
  /** Users who were members once and are not now (property-based: expected false). */
  left: UserSource;
}

function combined(parts: { name: string; verification: Verification }[], overwrite?: string): Verification {
  const bad = parts.filter((p) => p.verification.status !== 'verified');
  const status = bad.some((p) => p.verification.status === 'mismatch') ? 'mismatch' : bad[0]?.verification.status;
  const message = parts.map((p) => `${p.name}: ${p.verification.message}`).join('; ');
  const differences = [
    ...(overwrite && bad.length > 0 ? [overwrite] : []),
    ...bad.flatMap((p) => p.verification.differences.map((d) => `${p.name}: ${d}`)),
  ];
  return { status: status ?? 'verified', message, differences };
}

function propertyExpectation(cohort: CohortExpectation, fields: readonly string[]): Map<string, boolean> {
  const expected = new Map<string, boolean>(identities(cohort.left, fields).map((u) => [u, false]));
  for (const user of identities(cohort.members, fields)) expected.set(user, true);
  return expected;
}

/** The per-cohort properties the mock kept for this cohort: the key that carries its id or name. */
function cohortEntry(state: MockStateRead, cohort: CohortExpectation): Record<string, boolean | null> | undefined {
  const keys = Object.keys(state.cohortProperties ?? {});
  const key = keys.find((k) => cohort.sentAs.some((text) => text !== '' && k.includes(JSON.stringify(text))));
  return key === undefined ? undefined : state.cohortProperties?.[key];
}

/**
 * After each sync of a schedule: every cohort's list holds its members; property-based, every user holds the
 * membership of each cohort (per cohort when the updates say which cohort, else the one value the partner keeps,
 * where one cohort overwrites another and `overwrite` says why).
 */
export async function verifyCohorts(
  input: { analysis: ManifestAnalysis; target: string | undefined; cohorts: CohortExpectation[]; overwrite?: string },
  sender: EndpointSender,
): Promise<Verification> {
  const { analysis, target, cohorts } = input;
  const unverifiable = (message: string): Verification => ({ status: 'unverifiable', message, differences: [] });
  if (!target) return unverifiable('not verified: no target to ask (only the bundled mock can be read)');
  const property = analysis.model.kind === 'cohort-property';
  const fields = identityFields(analysis, property ? 'update' : 'addUsers');
  if (fields.length === 0) return unverifiable('not verified: the item template names no mapping field');
  const state = await readMockState(target, sender);
  if (typeof state === 'string') return unverifiable(`not verified: ${state}`);
  const parts = cohorts.map((cohort) => {
    if (!property) {
      const held = cohort.listId === undefined ? undefined : state.lists?.[String(cohort.listId)];
      const expected = new Set(identities(cohort.members, fields));
      return { name: cohort.name, verification: compareList(expected, held, cohort.listId ?? '') };
    }
    const held = cohortEntry(state, cohort) ?? state.properties;
    return { name: cohort.name, verification: compareProperties(propertyExpectation(cohort, fields), held) };
  });
  return combined(parts, input.overwrite);
}
