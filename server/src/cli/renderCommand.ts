import * as fs from 'fs';
import * as path from 'path';
import { decodeText, MAX_MANIFEST_BYTES, MAX_TEXT_BYTES, readUserFile } from '../base/files';
import { recordOf } from '../base/records';
import { MANIFEST_SUFFIX } from '../base/walk';
import { dataModelFor } from '../freemarker/dataModel';
import { checkJson } from '../freemarker/renderBody';
import { samplesFor } from '../freemarker/sampleEvents';
import { parseManifest } from '../manifest/document';
import { buildModel } from '../manifest/model';
import {
  bodyTemplateReference,
  NO_STREAMING,
  STREAMING_ROLES,
  type StreamingModel,
  type StreamingRole,
} from '../manifest/streaming';
import { parseCommandArgs, readOptionFile, timeoutOption } from './args';
import { workerFor } from './engine';
import { UsageError, type Io } from './io';
import { readManifestText } from './manifestFiles';

/** The manifest next to a template that names it as a body template, and for which request. */
function findManifestFor(template: string): { file: string; role: StreamingRole } | undefined {
  const dir = path.dirname(path.resolve(template));
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith(MANIFEST_SUFFIX));
  } catch {
    return undefined;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const read = readUserFile(file, MAX_MANIFEST_BYTES);
    if (!read.ok) continue;
    const { streaming } = buildModel(parseManifest(decodeText(read)));
    for (const role of STREAMING_ROLES) {
      const body = bodyTemplateReference(streaming, role);
      if (body && path.resolve(dir, body) === path.resolve(template)) return { file, role };
    }
  }
  return undefined;
}

/** Which request of a given manifest names the template (the identify one renders sample identifies). */
function roleOf(streaming: StreamingModel, template: string): StreamingRole | undefined {
  const base = path.basename(template);
  return STREAMING_ROLES.find((role) => {
    const body = bodyTemplateReference(streaming, role);
    return body !== undefined && path.basename(body) === base;
  });
}

function readJsonObject(file: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readOptionFile(file, `The ${what} file`)) as unknown;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: the ${what} must be a JSON object (${(error as Error).message}).`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`${file}: the ${what} must be a JSON object.`);
  return value as Record<string, unknown>;
}

function eventFor(
  event: string | undefined,
  sampleName: string | undefined,
  role: StreamingRole,
): Record<string, unknown> {
  if (event) return readJsonObject(event, 'event');
  const samples = samplesFor(role);
  const sample = sampleName ? samples.find((s) => s.name.toLowerCase() === sampleName.toLowerCase()) : samples[0];
  if (!sample) throw new UsageError(`--sample must be one of: ${samples.map((s) => s.name).join(', ')}.`);
  return sample.event;
}

export async function renderCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(args, {
    manifest: { type: 'string' },
    event: { type: 'string' },
    sample: { type: 'string' },
    parameters: { type: 'string' },
    jar: { type: 'string' },
    timeout: { type: 'string' },
  });
  const [template, ...extra] = parsed.positionals;
  if (!template || extra.length > 0) throw new UsageError('render needs one template (.ftl).');
  const timeout = timeoutOption(parsed, 'timeout', 5000, io);
  const read = readUserFile(template, MAX_TEXT_BYTES);
  if (!read.ok) throw new UsageError(`The template ${template} ${read.reason}.`);
  const found = findManifestFor(template);
  const manifestFile = parsed.values.get('manifest') ?? found?.file;
  const streaming = manifestFile ? buildModel(parseManifest(readManifestText(manifestFile))).streaming : NO_STREAMING;
  const role = roleOf(streaming, template) ?? found?.role ?? 'events';
  const event = eventFor(parsed.values.get('event'), parsed.values.get('sample'), role);
  const file = parsed.values.get('parameters');
  const parameters = file ? readJsonObject(file, 'parameters') : {};
  const values = recordOf(
    Object.entries(parameters).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as const),
  );
  const worker = workerFor(parsed.values.get('jar'), { timeoutMs: timeout });
  try {
    const text = decodeText(read);
    const result = await worker.render(path.basename(template), text, dataModelFor(streaming, event, values, text));
    if (!result.ok) {
      const where = result.error.line ? `${template}:${result.error.line}:${result.error.column}: ` : `${template}: `;
      io.err(`${where}${result.error.message} (FreeMarker ${worker.version || 'engine'})`);
      return 1;
    }
    io.out(result.output);
    const problem = checkJson(result.output);
    if (problem) {
      io.err(`${template}: the output is not valid JSON (${problem}); Amplitude would send it as it is.`);
      return 1;
    }
    return 0;
  } finally {
    worker.dispose();
  }
}
