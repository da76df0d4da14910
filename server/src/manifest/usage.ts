import { decodeText, MAX_TEXT_BYTES, type FileRead } from '../base/files';
import { findReferences } from '../ftl/references';
import type { FileAccess, FileScope } from '../base/files';
import type { ManifestDocument } from './document';
import type { ManifestModel } from './model';
import { bodyTemplateReference, streamingRoles, type StreamingRole } from './streaming';

/** What usage needs to read: the manifest, and where and how its template file may be read. */
export interface UsageContext {
  doc: ManifestDocument;
  model: ManifestModel;
  scope?: FileScope;
  files?: FileAccess;
}

export { bodyTemplateReference, requestKey, STREAMING_ROLES, streamingRoles, type StreamingRole } from './streaming';

/**
 * A body template's text, read under the workspace rules; undefined when the manifest names none or
 * has no folder. A refusal (outside the workspace, missing, a device) is reported by the files check.
 */
export function readBodyTemplate(
  { model, scope, files }: Omit<UsageContext, 'doc'>,
  role: StreamingRole = 'events',
): FileRead | undefined {
  const reference = bodyTemplateReference(model.streaming, role);
  if (!reference || !scope || !files) return undefined;
  return files.read(reference, scope, { maxBytes: MAX_TEXT_BYTES });
}

export function templateText(read: FileRead | undefined): string | undefined {
  return read?.ok ? decodeText(read) : undefined;
}

/** The `parameters.x` or `mappedFields.x` names a template reads (also written `["x"]`), in FreeMarker code. */
export function templateNames(template: string, root: 'parameters' | 'mappedFields'): Set<string> {
  return new Set(
    findReferences(template)
      .filter((r) => r.root === root)
      .map((r) => r.name),
  );
}

/** The names used anywhere: cohort `$variables` and streaming `${parameters.x}` (URL, headers, template). */
export function usedNames(context: UsageContext): {
  variables: Set<string>;
  parameters: Set<string> | undefined;
  mappedFields: Set<string> | undefined;
} {
  const { model } = context;
  const variables = new Set(model.references.map((r) => r.name));
  const parameters = new Set(model.parameterReferences.map((r) => r.name));
  const reads = streamingRoles(model.streaming)
    .map((role) => readBodyTemplate(context, role))
    .filter((read): read is FileRead => read !== undefined);
  if (reads.length === 0) return { variables, parameters, mappedFields: undefined };
  const texts = reads.map(templateText);
  // Unknown: the files check speaks.
  if (texts.some((t) => t === undefined)) return { variables, parameters: undefined, mappedFields: undefined };
  const mappedFields = new Set<string>();
  for (const text of texts as string[]) {
    for (const name of templateNames(text, 'parameters')) parameters.add(name);
    for (const name of templateNames(text, 'mappedFields')) mappedFields.add(name);
  }
  return { variables, parameters, mappedFields };
}
