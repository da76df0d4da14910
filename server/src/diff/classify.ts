import type { JSONPath } from 'jsonc-parser';
import { isDisabled } from '../base/diagnostic';
import type { ManifestAnalysis } from '../analysis';
import { isObject, objectAt, stringAt } from '../base/value';
import { ENDPOINT_NAMES, ENDPOINT_TITLES, type EndpointModel, type ManifestModel } from '../manifest/model';
import type { FieldOption } from '../manifest/cohort';
import { streamingRequest } from '../manifest/streaming';
import { compareTemplates, type TemplateVersions } from './templates';

/** What a change means for customers who already set the integration up. */
export type Impact = 'breaking' | 'risky' | 'safe';

export interface ManifestChange {
  impact: Impact;
  /** Where, in the new manifest (or the nearest place that still exists there). */
  path: JSONPath;
  message: string;
}

/** A customer input as the diff compares it: a custom or mapping field, a parameter, a user property mapping. */
interface Input {
  readonly name: string;
  readonly path: JSONPath;
  readonly type?: string;
  readonly options: readonly FieldOption[];
  readonly default?: string;
  readonly secret?: boolean;
  readonly required?: boolean;
  readonly displayName?: string;
  readonly description?: string;
  readonly label?: string;
}

type InputList = 'customFields' | 'mappingFields' | 'parameters' | 'userPropertyMappings';

function inputsOf(model: ManifestModel, list: InputList): Map<string, Input> {
  const inputs: Record<InputList, () => Input[]> = {
    customFields: () => model.cohort.customFields.map((f) => ({ ...f, name: f.variable })),
    mappingFields: () => model.cohort.mappingFields.map((f) => ({ ...f, name: f.variable })),
    parameters: () => model.streaming.parameters.map((p) => ({ ...p, options: [] })),
    userPropertyMappings: () => model.streaming.userPropertyMappings.map((m) => ({ ...m, options: [] })),
  };
  return new Map(inputs[list]().map((input) => [input.name, input]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const optionValues = (input: Input): string[] => input.options.map((o) => o.value);

/** Customer inputs (custom fields, mapping fields, parameters): what every existing setup has saved. */
function compareInputs(
  out: ManifestChange[],
  before: ManifestModel,
  after: ManifestModel,
  list: InputList,
  what: string,
) {
  const old = inputsOf(before, list);
  const now = inputsOf(after, list);
  for (const [name, entry] of old) {
    if (!now.has(name)) {
      out.push({
        impact: 'breaking',
        path: [list],
        message:
          `${what} "${name}" was removed (or renamed): every customer's saved value for it is lost, ` +
          `and the calls that used it change.`,
      });
      continue;
    }
    const next = now.get(name) as Input;
    compareInput(out, entry, next, what);
  }
  for (const [name, entry] of now) {
    if (old.has(name)) continue;
    const hasDefault = entry.default !== undefined;
    out.push({
      impact: hasDefault ? 'risky' : 'breaking',
      path: entry.path,
      message: hasDefault
        ? `New ${what.toLowerCase()} "${name}" with a default: existing setups get the default until ` +
          `customers change it.`
        : `New ${what.toLowerCase()} "${name}" without a default: every existing setup has no value for it ` +
          `until its customer edits the destination.`,
    });
  }
}

function compareInput(out: ManifestChange[], old: Input, now: Input, what: string): void {
  const { path } = now;
  const label = `${what} "${now.name}"`;
  const oldType = old.type ?? 'string';
  const newType = now.type ?? 'string';
  if (oldType !== newType)
    out.push({
      impact: 'breaking',
      path,
      message: `${label} changed type from ${oldType} to ${newType}: saved values may not fit it.`,
    });
  const removed = optionValues(old).filter((v) => !optionValues(now).includes(v));
  if (removed.length > 0 && newType !== 'string')
    out.push({
      impact: 'breaking',
      path: [...path, 'options'],
      message:
        `${label} lost option value(s) ${removed.map((v) => `"${v}"`).join(', ')}: customers who ` +
        `chose them keep a value the form no longer offers.`,
    });
  const added = optionValues(now).filter((v) => !optionValues(old).includes(v));
  if (added.length > 0)
    out.push({
      impact: 'safe',
      path: [...path, 'options'],
      message: `${label} offers new option(s) ${added.map((v) => `"${v}"`).join(', ')}.`,
    });
  if (!same(old.default, now.default))
    out.push({ impact: 'safe', path, message: `${label}'s default changed: only new setups see it.` });
  if ((old.secret === true) !== (now.secret === true))
    out.push({
      impact: 'risky',
      path,
      message:
        `${label} is ${now.secret === true ? 'now' : 'no longer'} secret: how the form shows ` +
        `saved values changes.`,
    });
  if (old.required !== true && now.required === true)
    out.push({ impact: 'breaking', path, message: `${label} is now required: existing setups without it fail.` });
  for (const cosmetic of ['displayName', 'description', 'label'] as const)
    if (!same(old[cosmetic], now[cosmetic]))
      out.push({
        impact: 'safe',
        path: [...path, cosmetic],
        message: `${label}: ${cosmetic} changed (what customers read).`,
      });
}

function compareEndpoints(out: ManifestChange[], before: ManifestModel, after: ManifestModel): void {
  for (const name of ENDPOINT_NAMES) {
    const a = before.endpoints.find((e) => e.name === name);
    const b = after.endpoints.find((e) => e.name === name);
    const title = ENDPOINT_TITLES[name];
    if (a && !b)
      out.push({
        impact: 'breaking',
        path: ['endpoints'],
        message: `The ${title} endpoint was removed: syncs set up with it stop doing that part.`,
      });
    if (!a && b)
      out.push({
        impact: 'risky',
        path: ['endpoints', name],
        message: `A new ${title} endpoint: existing syncs start calling it.`,
      });
    if (a && b) compareEndpoint(out, a, b, ['endpoints', name], title);
  }
}

/** The endpoint fields a sync's behaviour depends on (its name and path are where it is, not what it does). */
type EndpointField = Exclude<keyof EndpointModel, 'name' | 'path' | 'keys' | 'errorsWritten'>;

function compareEndpoint(
  out: ManifestChange[],
  a: EndpointModel,
  b: EndpointModel,
  path: JSONPath,
  title: string,
): void {
  const changed = (key: EndpointField) => !same(a[key], b[key]);
  if (changed('listIdPath'))
    out.push({
      impact: 'breaking',
      path: [...path, 'listIdPath'],
      message:
        `${title}: the path to the list id changed: unless your API's answer changed with it, new ` +
        `lists get no id.`,
    });
  if (changed('url'))
    out.push({
      impact: 'risky',
      path: [...path, 'url'],
      message: `${title}: the URL changed: existing syncs call the new one.`,
    });
  if (changed('method'))
    out.push({
      impact: 'risky',
      path: [...path, 'method'],
      message: `${title}: the method changed from ${String(a.method)} to ${String(b.method)}.`,
    });
  if (changed('payload') || changed('payloadText') || changed('itemTemplate') || changed('itemTemplateText'))
    out.push({
      impact: 'risky',
      path: [...path, b.payloadText !== undefined ? 'payloadText' : 'payload'],
      message: `${title}: the payload changed: your API must accept the new shape from every existing sync.`,
    });
  if (changed('batchSize'))
    out.push({ impact: 'safe', path: [...path, 'batchSize'], message: `${title}: the batch size changed.` });
  if (changed('errors') || changed('copyErrorsFrom')) {
    const fewer = b.errors.length < a.errors.length;
    out.push({
      impact: fewer ? 'risky' : 'safe',
      path: [...path, 'errors'],
      message:
        `${title}: error classifications ` +
        `changed${fewer ? ': answers no row matches any more show as unclassified' : ''}.`,
    });
  }
}

/**
 * The manifest-wide settings. The kind and the authentication method are compared as written: a change
 * between two names the model does not know (a typo fixed) is still a change for existing setups.
 */
function compareTop(out: ManifestChange[], before: ManifestAnalysis, after: ManifestAnalysis): void {
  const a = isObject(before.doc.value) ? before.doc.value : {};
  const b = isObject(after.doc.value) ? after.doc.value : {};
  if (!same(a.kind, b.kind))
    out.push({
      impact: 'breaking',
      path: ['kind'],
      message: `The integration type changed from ${String(a.kind)} to ${String(b.kind)}.`,
    });
  const authA = stringAt(objectAt(a, 'authentication'), 'method');
  const authB = stringAt(objectAt(b, 'authentication'), 'method');
  if (authA !== authB)
    out.push({
      impact: 'breaking',
      path: ['authentication'],
      message:
        `The authentication method changed from ${authA ?? 'none'} to ${authB ?? 'none'}: every ` +
        `customer must enter new credentials.`,
    });
  compareSettings(out, before.model, after.model);
}

/** Headers, slugify, partner id, the event request, connection info and setup steps, as the model has them. */
function compareSettings(out: ManifestChange[], a: ManifestModel, b: ManifestModel): void {
  if (!same(a.cohort.headers, b.cohort.headers))
    out.push({
      impact: 'risky',
      path: ['headers'],
      message: 'The additional headers changed: every call of every existing sync sends the new ones.',
    });
  if (a.cohort.slugifyCohortName !== b.cohort.slugifyCohortName)
    out.push({
      impact: 'risky',
      path: ['slugifyCohortName'],
      message: 'Slugify changed: cohort names arrive differently, so new lists get differently written names.',
    });
  if (!same(a.ingestion.partnerId, b.ingestion.partnerId))
    out.push({
      impact: 'breaking',
      path: ['partnerId'],
      message: 'The partner id changed: events sent with the old one are no longer attributed to this source.',
    });
  const requestA = streamingRequest(a.streaming, 'events');
  const requestB = streamingRequest(b.streaming, 'events');
  const request = (['url', 'method', 'headers', 'bodyTemplate'] as const).filter(
    (k) => !same(requestA?.[k], requestB?.[k]),
  );
  if (request.length > 0)
    out.push({
      impact: 'risky',
      path: ['request'],
      message: `The event request changed (${request.join(', ')}): every forwarded event from existing setups uses it.`,
    });
  if (!same(a.connection, b.connection))
    out.push({
      impact: 'safe',
      path: ['connection'],
      message: 'Connection info changed (name, description, logo): what customers see on the tile.',
    });
  if (!same(a.ingestion.setup, b.ingestion.setup))
    out.push({ impact: 'safe', path: ['setup'], message: 'The setup steps changed.' });
}

const IMPACT_ORDER: Record<Impact, number> = { breaking: 0, risky: 1, safe: 2 };

/**
 * Every change between two versions of a manifest, classified for customers already using the old one;
 * with the body templates each version names, their content is compared too (same name, new text).
 */
export function classifyChanges(
  before: ManifestAnalysis,
  after: ManifestAnalysis,
  templates?: { before: TemplateVersions; after: TemplateVersions },
): ManifestChange[] {
  const out: ManifestChange[] = [];
  compareTop(out, before, after);
  compareInputs(out, before.model, after.model, 'customFields', 'Custom field');
  compareInputs(out, before.model, after.model, 'mappingFields', 'Mapping field');
  compareInputs(out, before.model, after.model, 'parameters', 'Parameter');
  compareInputs(out, before.model, after.model, 'userPropertyMappings', 'User property mapping');
  compareEndpoints(out, before.model, after.model);
  if (templates) out.push(...compareTemplates(templates.before, templates.after));
  const breaking = out.some((c) => c.impact === 'breaking');
  if (breaking && same(before.model.version, after.model.version))
    out.push({
      impact: 'risky',
      path: ['version'],
      message: 'Breaking changes without a new version: bump "version" so customers can tell.',
    });
  return out
    .filter((c) => !isDisabled(IMPACT_CODES[c.impact]))
    .sort((x, y) => IMPACT_ORDER[x.impact] - IMPACT_ORDER[y.impact]);
}

export const IMPACT_CODES: Record<Impact, 'breaking-change' | 'risky-change' | 'safe-change'> = {
  breaking: 'breaking-change',
  risky: 'risky-change',
  safe: 'safe-change',
};
