import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import * as path from 'path';
import { decodeText, FileRefusedError, MAX_TEXT_BYTES, readReference, type FileScope } from '../base/files';
import { dataModelFor, type TemplateDeclarations } from './dataModel';
import type { FreemarkerWorker, RenderResult } from './engine';

export interface StreamingRender {
  templatePath: string;
  result: RenderResult;
}

export function checkJson(output: string): string | undefined {
  try {
    JSON.parse(output);
    return undefined;
  } catch {
    // Where and what, never JSON.parse's message: it quotes the output, which holds the filled-in values.
    const errors: ParseError[] = [];
    parseJsonc(output, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (!first) return 'not valid JSON';
    const before = output.slice(0, first.offset);
    const line = before.split('\n').length;
    const column = first.offset - before.lastIndexOf('\n');
    return `${printParseErrorCode(first.error)} at line ${line}, column ${column} of the output`;
  }
}

/** A manifest's body template, read once under the workspace rules (a refused one is never read). */
export interface BodyTemplate {
  templatePath: string;
  template: string;
}

export function readBodyTemplateFile(
  relative: string | undefined,
  scope: FileScope,
  requestKey: 'request' | 'identify' = 'request',
): BodyTemplate {
  if (!relative) throw new Error(`The manifest has no ${requestKey}.bodyTemplate.`);
  const read = readReference(relative, scope, { maxBytes: MAX_TEXT_BYTES });
  if (!read.ok) throw new FileRefusedError(`The body template "${relative}"`, read);
  return { templatePath: read.path, template: decodeText(read) };
}

/** Renders a body template for one event with the manifest's data model. */
export async function renderTemplateFor(
  worker: FreemarkerWorker,
  body: BodyTemplate,
  declared: TemplateDeclarations,
  event: Record<string, unknown>,
  parameterValues: Record<string, string>,
): Promise<StreamingRender> {
  const result = await worker.render(
    path.basename(body.templatePath),
    body.template,
    dataModelFor(declared, event, parameterValues, body.template),
  );
  return { templatePath: body.templatePath, result };
}
