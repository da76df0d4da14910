import { pathToFileURL } from 'url';
import { decodeText, MAX_TEXT_BYTES, readReference } from '../base/files';
import { bodyTemplateReference, STREAMING_ROLES, type StreamingModel, type StreamingRole } from '../manifest/streaming';
import { importCurl, payloadEntry } from '../portal/import';
import { portalSheet } from '../portal/sheet';
import { fromPortalText } from '../portal/syntax';
import { analyzeManifest } from '../analysis';
import { classifyChanges } from '../diff/classify';
import { releaseTags, templatesAtRevision, textAtRevision } from '../diff/git';
import type { TemplateVersion, TemplateVersions } from '../diff/templates';
import {
  DiffRequest,
  ImportRequest,
  PortalSheetRequest,
  type DiffAnswer,
  type DiffParams,
  type ImportAnswer,
  type ImportParams,
} from '../protocol';
import { handle, isTemplate, textOf, type ServerContext } from './context';
import { filePathOf } from './workspace';

/** The body template's text for the sheet: the open document's, else the file, under the workspace rules. */
function templateFor(
  context: ServerContext,
  uri: string,
  streaming: StreamingModel,
  role: StreamingRole = 'events',
): string | undefined {
  const version = templateVersion(context, uri, streaming, role);
  return version && 'text' in version ? version.text : undefined;
}

/** A role's body template as the editor has it now: the open document's text, else the file's. */
function templateVersion(
  context: ServerContext,
  uri: string,
  streaming: StreamingModel,
  role: StreamingRole,
): TemplateVersion | undefined {
  const file = filePathOf(uri);
  const reference = bodyTemplateReference(streaming, role);
  if (!file || !reference) return undefined;
  const read = readReference(reference, context.workspace.scopeOf(file), { maxBytes: MAX_TEXT_BYTES });
  if (!read.ok) return { reference, problem: read.reason };
  return { reference, text: textOf(context, pathToFileURL(read.path).toString())?.text ?? decodeText(read) };
}

function importText(p: ImportParams): ImportAnswer {
  try {
    if (p.what === 'curl') {
      const result = importCurl(p.text, { kind: p.kind ?? 'cohort-list', endpoint: p.endpoint });
      return { ok: true, ...result };
    }
    const imported = fromPortalText(p.text.trim());
    if (!imported.ok) return { ok: false, problem: `The text is ${imported.problem}.` };
    const { entry, note } = payloadEntry(imported, p.what);
    return { ok: true, fragment: entry, notes: note ? [note] : [] };
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The portal hand-off: the sheet of a manifest, and the portal's text brought back in. */
export function registerPortalRequests(context: ServerContext): void {
  handle(context, PortalSheetRequest, null, (p) => {
    const document = isTemplate(p.uri) ? undefined : textOf(context, p.uri);
    if (!document) return null;
    const analysis = context.manifests.analyze(document);
    return portalSheet(analysis, templateFor(context, p.uri, analysis.model.streaming), p.values ?? {});
  });
  handle(context, ImportRequest, { ok: false, problem: 'The import failed (see the output channel).' }, importText);
}

async function diffWithRelease(context: ServerContext, p: DiffParams): Promise<DiffAnswer> {
  const document = isTemplate(p.uri) ? undefined : textOf(context, p.uri);
  const file = filePathOf(p.uri);
  if (!document || !file || !context.workspace.folderOf(file))
    return { ok: false, problem: 'Compare works on a manifest inside the workspace.', tags: [] };
  const tags = await releaseTags(file);
  const base = p.base ?? tags[0];
  if (!base) return { ok: false, problem: 'The repository has no tag to compare with: name a revision.', tags };
  const old = await textAtRevision(file, base);
  if (!old.ok) return { ok: false, problem: `${base}: ${old.problem}`, tags };
  const before = analyzeManifest(old.text);
  if (before.doc.syntaxProblems.length > 0)
    return {
      ok: false,
      problem: `${base}: the manifest there is not valid JSON, so there is nothing to compare.`,
      tags,
    };
  const after = context.manifests.analyze(document);
  const templates = {
    before: await templatesAtRevision(before.model.streaming, base, context.workspace.scopeOf(file)),
    after: Object.fromEntries(
      STREAMING_ROLES.map((role) => [role, templateVersion(context, p.uri, after.model.streaming, role)]),
    ) as TemplateVersions,
  };
  const changes = classifyChanges(before, after, templates).map((c) => ({
    impact: c.impact,
    message: c.message,
    range: after.doc.lines.rangeOf(after.doc.spanAt(c.path)),
  }));
  return { ok: true, base, baseText: old.text, changes, tags };
}

export function registerDiffRequest(context: ServerContext): void {
  handle(
    context,
    DiffRequest,
    { ok: false, problem: 'The comparison failed (see the output ' + 'channel).', tags: [] },
    (p) => diffWithRelease(context, p),
  );
}
