import type { ManifestAnalysis } from '../analysis';
import { ownValue } from '../base/records';
import type { EndpointName } from '../manifest/model';
import { forEachStringWith } from '../manifest/model';
import { itemTemplateOf } from '../manifest/portalText';
import { isObject } from '../base/value';
import { scanVariablesIn } from '../manifest/variables';
import type { ListId } from './listId';
import { userIdentity } from './match';
import type { EndpointSender } from './send';
import { batches, type UserSource } from './users';

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

/** After a replay against the bundled mock: what it recorded meanwhile against what the replay counted. */
export async function verifyReplay(
  target: string,
  sender: EndpointSender,
  before: MockStateRead | string,
  counted: { requests: number; delivered: number },
): Promise<Verification> {
  const after = await readMockState(target, sender);
  if (typeof after === 'string') return { status: 'unverifiable', message: after, differences: [] };
  const earlier = typeof before === 'string' ? {} : before;
  const received = (after.events?.received ?? 0) - (earlier.events?.received ?? 0);
  const accepted = (after.events?.accepted ?? 0) - (earlier.events?.accepted ?? 0);
  const differences: string[] = [];
  if (received !== counted.requests)
    differences.push(`the mock received ${received} requests, the replay sent ${counted.requests}`);
  if (accepted !== counted.delivered)
    differences.push(`the mock accepted ${accepted}, the replay counted ${counted.delivered} delivered`);
  if (differences.length > 0) return { status: 'mismatch', message: 'The mock recorded other counts.', differences };
  const message = `The mock recorded the same ${received} requests, ${accepted} of them accepted.`;
  return { status: 'verified', message, differences };
}
