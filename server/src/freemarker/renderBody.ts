import * as path from 'path';
import { decodeText, FileRefusedError, MAX_TEXT_BYTES, readReference, type FileScope } from '../base/files';
import { objectAt, stringAt } from '../base/value';
import { dataModelFor } from './dataModel';
import type { FreemarkerWorker, RenderResult } from './engine';

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

/** Renders the manifest's body template for one event; a template the workspace rules refuse is never read. */
export async function renderBody(
  worker: FreemarkerWorker,
  manifest: unknown,
  scope: FileScope,
  event: Record<string, unknown>,
  parameterValues: Record<string, string>,
): Promise<StreamingRender> {
  const relative = stringAt(objectAt(manifest, 'request'), 'bodyTemplate');
  if (!relative) throw new Error('The manifest has no request.bodyTemplate.');
  const read = readReference(relative, scope, { maxBytes: MAX_TEXT_BYTES });
  if (!read.ok) throw new FileRefusedError(`The body template "${relative}"`, read);
  const templatePath = read.path;
  const template = decodeText(read);
  const result = await worker.render(
    path.basename(templatePath),
    template,
    dataModelFor(manifest, event, parameterValues),
  );
  return { templatePath, result, jsonProblem: result.ok ? checkJson(result.output) : undefined };
}
