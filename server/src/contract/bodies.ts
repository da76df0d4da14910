import * as path from 'path';
import type { JSONPath } from 'jsonc-parser';
import type { FileScope } from '../base/files';
import { arrayAt, isObject, stringAt } from '../base/value';
import type { FreemarkerWorker } from '../freemarker/engine';
import { checkJson, readBodyTemplateFile, renderTemplateFor } from '../freemarker/renderBody';
import { samplesFor } from '../freemarker/sampleEvents';
import type { ManifestModel } from '../manifest/model';
import { predefinedVariable } from '../manifest/variables';
import { createRequestBuilder, RequestBuildError } from '../testing/request';
import { DEFAULT_TEST_VALUES, generateUsers, type TestValues } from '../testing/values';
import type { BuiltBody, ContractCall, ValueSource } from './context';
import { listIdSchema, schemaType } from './responses';

/**
 * The bodies Amplitude would send for each call, built by the same code that sends them (testing/request.ts) or
 * rendered by the real FreeMarker engine, with a way back from each value to where the manifest wrote it.
 */

const WHOLE_VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/** A value for each declared variable as a customer would type it: a select's first option, else a sample. */
function sampleValues(model: ManifestModel, manifest: unknown): TestValues {
  const variables: Record<string, string> = {};
  const fields = arrayAt(manifest, 'customFields') ?? [];
  for (const d of model.declarations) {
    if (d.source === 'mappingField') continue;
    const field = fields.find((f) => stringAt(f, 'variable') === d.name);
    const options = arrayAt(field, 'options') ?? [];
    const option = options.map((o) => stringAt(o, 'value')).find((v) => v !== undefined);
    variables[d.name] = stringAt(field, 'default') ?? option ?? `sample-${d.name.replace(/_/g, '-')}`;
  }
  return { ...DEFAULT_TEST_VALUES, variables };
}

/** The list id as list creation's documented answer types it; undefined when it cannot tell. */
export function sampleListId(calls: ContractCall[]): { value: unknown; typed: boolean } {
  const creation = calls.find((c) => c.role === 'listCreation');
  const found = creation ? listIdSchema(creation) : undefined;
  const type = found && 'schema' in found ? schemaType(found.schema) : undefined;
  if (type === 'integer' || type === 'number') return { value: 49381, typed: true };
  if (type === 'string') return { value: 'list_49381', typed: true };
  return { value: 'list_49381', typed: false };
}

/** Walks a body's JSON pointer through the payload template and, under `$items`, the item template. */
function locator(call: ContractCall): (pointer: string[]) => ValueSource {
  const base = call.path;
  if (typeof call.value.payloadText === 'string')
    return () => ({ path: [...base, 'payloadText'], onKey: false, kind: 'unknown' });
  // The item template in the portal editor's text: what is under `$items` is told on that text.
  const itemText = typeof call.value.itemTemplateText === 'string';
  let itemPath: JSONPath = [];
  if (itemText) itemPath = [...base, 'itemTemplateText'];
  else if (call.value.itemTemplate !== undefined) itemPath = [...base, 'itemTemplate'];
  const item = call.value.itemTemplate ?? '$user_id_field_amplitude';
  return (pointer) => {
    let template: unknown = call.value.payload;
    let at: JSONPath = [...base, 'payload'];
    for (let i = 0; i < pointer.length; i++) {
      const whole = typeof template === 'string' ? WHOLE_VARIABLE.exec(template) : null;
      if (whole && predefinedVariable(whole[1])?.name === 'items') {
        if (itemText) return { path: itemPath, onKey: false, kind: 'unknown' };
        // pointer[i] is the user's index; the rest is inside the item template
        template = item;
        at = itemPath.length > 0 ? [...itemPath] : at;
        continue;
      }
      const key = pointer[i];
      if (Array.isArray(template) && /^\d+$/.test(key) && Number(key) < template.length) {
        template = template[Number(key)];
        at.push(Number(key));
      } else if (isObject(template) && Object.hasOwn(template, key)) {
        template = template[key];
        at.push(key);
      } else break;
    }
    return sourceOf(template, at);
  };
}

function sourceOf(template: unknown, at: JSONPath): ValueSource {
  const onKey = typeof at[at.length - 1] === 'string';
  if (typeof template !== 'string') return { path: at, onKey, kind: 'literal' };
  const whole = WHOLE_VARIABLE.exec(template);
  if (whole) return { path: at, onKey, kind: 'variable', variable: predefinedVariable(whole[1])?.name ?? whole[1] };
  return { path: at, onKey, kind: /\$[A-Za-z_{]/.test(template) ? 'text' : 'literal' };
}

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The cohort calls' bodies: list creation once, each user call as a full batch, update for entered and left. */
export function cohortBodies(model: ManifestModel, manifest: unknown, calls: ContractCall[]): BuiltBody[] {
  const values = sampleValues(model, manifest);
  const listId = sampleListId(calls).value;
  const mapping = model.declarations.filter((d) => d.source === 'mappingField').map((d) => d.name);
  const out: BuiltBody[] = [];
  for (const call of calls) {
    if (call.role === 'events' || call.role === 'identify' || !call.match.operation?.requestBody?.schema) continue;
    const memberships = call.role === 'update' ? [true, false] : [undefined];
    for (const membership of memberships) {
      try {
        const builder = createRequestBuilder(model, manifest, call.role, { values, listId, membership });
        const users = call.role === 'listCreation' ? [] : generateUsers(builder.batchSize, mapping);
        const request = builder.build(users);
        const body = parsed(request.body);
        if (!body.ok) continue;
        const who = { undefined: 'users', true: 'users who entered', false: 'users who left' }[String(membership)];
        const label = call.role === 'listCreation' ? 'its request' : `a batch of ${users.length} ${who}`;
        out.push({ call, label, body: body.value, locate: locator(call) });
      } catch (error) {
        if (!(error instanceof RequestBuildError)) throw error;
      }
    }
  }
  return out;
}

/** The streaming bodies, rendered by the real engine for each sample event; none when the engine is unavailable. */
export async function streamingBodies(
  manifest: unknown,
  calls: ContractCall[],
  scope: FileScope,
  worker: FreemarkerWorker,
): Promise<BuiltBody[]> {
  const out: BuiltBody[] = [];
  for (const call of calls) {
    if ((call.role !== 'events' && call.role !== 'identify') || !call.match.operation?.requestBody?.schema) continue;
    const role = call.role;
    let template;
    try {
      template = readBodyTemplateFile(manifest, scope, role === 'events' ? 'request' : 'identify');
    } catch {
      continue; // the files check reports it
    }
    const name = path.basename(template.templatePath);
    for (const sample of samplesFor(role)) {
      const rendered = await renderTemplateFor(worker, template, manifest, sample.event, {});
      if (!rendered.result.ok || checkJson(rendered.result.output) !== undefined) continue;
      const body = parsed(rendered.result.output);
      if (!body.ok) continue;
      const at: JSONPath = [...call.path, 'bodyTemplate'];
      out.push({
        call,
        label: `${name} rendered for the sample event "${sample.name}"`,
        body: body.value,
        locate: () => ({ path: at, onKey: false, kind: 'rendered' }),
      });
    }
  }
  return out;
}
