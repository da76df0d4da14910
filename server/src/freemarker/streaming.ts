import * as fs from 'fs';
import * as path from 'path';
import { arrayAt, isObject, objectAt, stringAt } from '../manifest/value';
import type { BuiltRequest } from '../testing/request';
import { dataModelFor } from './dataModel';
import type { FreemarkerWorker, RenderResult } from './engine';

export const STREAMING_USER_AGENT = 'Amplitude/EventStreaming/1.0';

/** `${parameters.x}` in the request URL and headers, as Amplitude fills them. */
function fillParameters(
  text: string,
  values: Record<string, string>,
  encode: (s: string) => string = (s) => s,
): string {
  return text.replace(/\$\{\s*parameters\.([A-Za-z_][A-Za-z0-9_]*)\s*\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : encode(values[name]),
  );
}

export interface StreamingRender {
  templatePath: string;
  result: RenderResult;
  /** Set when the output is not valid JSON. */
  jsonProblem?: string;
}

export function checkJson(output: string): string | undefined {
  try {
    JSON.parse(output);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Renders the manifest's body template for one event. */
export async function renderBody(
  worker: FreemarkerWorker,
  manifest: unknown,
  manifestDir: string,
  event: Record<string, unknown>,
  parameterValues: Record<string, string>,
): Promise<StreamingRender> {
  const relative = stringAt(objectAt(manifest, 'request'), 'bodyTemplate');
  if (!relative) throw new Error('The manifest has no request.bodyTemplate.');
  const templatePath = path.resolve(manifestDir, relative);
  const template = fs.readFileSync(templatePath, 'utf8');
  const result = await worker.render(
    path.basename(templatePath),
    template,
    dataModelFor(manifest, event, parameterValues),
  );
  return { templatePath, result, jsonProblem: result.ok ? checkJson(result.output) : undefined };
}

/** The request Amplitude sends for one event; secrets are the parameters marked secret. */
export function buildStreamingRequest(
  manifest: unknown,
  body: string,
  parameterValues: Record<string, string>,
): BuiltRequest {
  const request = objectAt(manifest, 'request');
  const url = stringAt(request, 'url');
  if (!url) throw new Error('The manifest has no request.url.');
  const headers: Record<string, string> = { 'User-Agent': STREAMING_USER_AGENT };
  const configured = objectAt(request, 'headers') ?? {};
  for (const [key, value] of Object.entries(configured))
    if (typeof value === 'string') headers[key] = fillParameters(value, parameterValues);
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/json';
  const secrets = (arrayAt(manifest, 'parameters') ?? [])
    .filter((p) => isObject(p) && p.secret === true && typeof p.name === 'string' && parameterValues[p.name as string])
    .map((p) => parameterValues[(p as { name: string }).name]);
  return {
    endpoint: 'events',
    method: stringAt(request, 'method') ?? 'POST',
    url: fillParameters(url, parameterValues, encodeURIComponent),
    headers,
    body,
    secrets,
  };
}
