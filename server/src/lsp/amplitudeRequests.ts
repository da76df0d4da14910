import { decodeText, MAX_TEXT_BYTES, readRegularFile, readUserText, FileRefusedError } from '../base/files';
import { SAMPLE_EVENTS, samplesFor } from '../freemarker/sampleEvents';
import {
  LocateRequest,
  PreviewRequest,
  RenderTemplateRequest,
  VariablesRequest,
  type RenderTemplateParams,
  type RenderTemplateResult,
} from '../protocol';
import { handle, isTemplate, textOf, type ServerContext } from './context';
import { filePathOf } from './workspace';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { MAX_NESTING } from '../manifest/document';

const sampleNames = () => SAMPLE_EVENTS.map((sample) => sample.name);

function refusedRender(message: string): RenderTemplateResult {
  return { ok: false, error: { message, line: 0, column: 0 }, ms: 0, samples: sampleNames() };
}

/** An event file the user picked (`*.event.json`): a JSON object, read under the file rules. */
function eventFromFile(file: string): Record<string, unknown> | string {
  try {
    const value = JSON.parse(readUserText(file, 'The event file')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : 'The event file must hold a JSON object.';
  } catch (error) {
    return error instanceof FileRefusedError
      ? error.message
      : `The event file is not JSON (${(error as Error).message}).`;
  }
}

/**
 * A template's text for rendering: the open document's newest text, else the file on disk; either way only
 * inside a workspace folder, since the URI can come from a manifest someone else wrote. Without a workspace
 * folder only what the user has open is rendered, and nothing is read.
 */
function templateText(context: ServerContext, uri: string): { text: string } | { refused: string } | undefined {
  const file = filePathOf(uri);
  const open = textOf(context, uri);
  const allowed =
    file && (context.workspace.folders.length > 0 || !open) ? context.workspace.workspaceFile(file) : undefined;
  if (file && allowed && !allowed.ok) return { refused: `The template ${file} ${allowed.reason}.` };
  if (open) return { text: open.text };
  if (!allowed?.ok) return undefined;
  const read = readRegularFile(allowed.path, MAX_TEXT_BYTES);
  return read.ok ? { text: decodeText(read) } : { refused: `The template ${file} ${read.reason}.` };
}

async function renderTemplate(context: ServerContext, p: RenderTemplateParams): Promise<RenderTemplateResult> {
  const found = templateText(context, p.uri);
  if (!found) return refusedRender('The template is neither open nor in the workspace.');
  if ('refused' in found) return refusedRender(found.refused);
  const role = context.templates.manifestFor(filePathOf(p.uri) ?? '')?.role ?? 'events';
  const samples = samplesFor(role);
  let event = (samples.find((s) => s.name === p.sample) ?? samples[0]).event;
  if (p.eventFile) {
    const fromFile = eventFromFile(p.eventFile);
    if (typeof fromFile === 'string') return refusedRender(fromFile);
    event = fromFile;
  }
  const result = await context.templates.render(filePathOf(p.uri), found.text, event, p.parameters);
  return {
    ok: result.ok,
    output: result.ok ? result.output : undefined,
    error: result.ok
      ? undefined
      : { message: result.error.message, line: result.error.line, column: result.error.column },
    engineVersion: result.version,
    ms: result.ms,
    samples: samples.map((s) => s.name),
  };
}

/** Longer paths than any manifest holds (MAX_NESTING) are refused before any work. */
const MAX_LOCATE_PATH = 1000;

/** Our own requests on a manifest or template: the variables table, the preview, locate, render. */
export function registerAmplitudeRequests(context: ServerContext): void {
  const { manifests } = context;
  const manifest = (uri: string) => (isTemplate(uri) ? undefined : textOf(context, uri));
  handle(context, VariablesRequest, null, (p) => {
    const d = manifest(p.uri);
    return d ? manifests.variables(d) : null;
  });
  handle(context, PreviewRequest, null, (p) => {
    const d = manifest(p.uri);
    return d ? manifests.preview(d) : null;
  });
  handle(context, LocateRequest, null, (p) => {
    const d = manifest(p.uri);
    if (!d || !Array.isArray(p.path)) return null;
    if (p.path.length > MAX_LOCATE_PATH)
      throw new ResponseError(
        ErrorCodes.InvalidParams,
        `The path has ${p.path.length} segments; a manifest nests at most ${MAX_NESTING} levels, ` +
          `so a path longer than ${MAX_LOCATE_PATH} segments is not looked up.`,
      );
    return manifests.locate(d, p.path);
  });
  const failed = refusedRender('The template could not be rendered (see the output channel).');
  handle(context, RenderTemplateRequest, failed, (p) => renderTemplate(context, p));
}
