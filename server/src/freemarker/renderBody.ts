import * as path from 'path';
import { decodeText, FileRefusedError, MAX_TEXT_BYTES, readReference, type FileScope } from '../base/files';
import { objectAt, stringAt } from '../base/value';
import { dataModelFor } from './dataModel';
import type { FreemarkerWorker, RenderResult } from './engine';

export interface StreamingRender {
  templatePath: string;
  result: RenderResult;
}

export function checkJson(output: string): string | undefined {
  try {
    JSON.parse(output);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A manifest's body template, read once under the workspace rules (a refused one is never read). */
export interface BodyTemplate {
  templatePath: string;
  template: string;
}

export function readBodyTemplateFile(
  manifest: unknown,
  scope: FileScope,
  requestKey: 'request' | 'identify' = 'request',
): BodyTemplate {
  const relative = stringAt(objectAt(manifest, requestKey), 'bodyTemplate');
  if (!relative) throw new Error(`The manifest has no ${requestKey}.bodyTemplate.`);
  const read = readReference(relative, scope, { maxBytes: MAX_TEXT_BYTES });
  if (!read.ok) throw new FileRefusedError(`The body template "${relative}"`, read);
  return { templatePath: read.path, template: decodeText(read) };
}

/** Renders a body template for one event with the manifest's data model. */
export async function renderTemplateFor(
  worker: FreemarkerWorker,
  body: BodyTemplate,
  manifest: unknown,
  event: Record<string, unknown>,
  parameterValues: Record<string, string>,
): Promise<StreamingRender> {
  const result = await worker.render(
    path.basename(body.templatePath),
    body.template,
    dataModelFor(manifest, event, parameterValues, body.template),
  );
  return { templatePath: body.templatePath, result };
}
