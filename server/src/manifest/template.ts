import { decodeText, MAX_TEXT_BYTES, type FileRead } from '../base/files';
import { findReferences } from '../templates/templateModel';
import { objectAt, stringAt } from './value';
import type { CheckContext } from '../diagnostics/types';

/** The streaming body template the manifest names, as its reference says it. */
export function bodyTemplateReference(manifest: unknown): string | undefined {
  return stringAt(objectAt(manifest, 'request'), 'bodyTemplate');
}

/**
 * The body template's text, read under the workspace rules; undefined when the manifest names none or
 * has no folder. A refusal (outside the workspace, missing, a device) is reported by the files check.
 */
export function readBodyTemplate({
  doc,
  scope,
  files,
}: Pick<CheckContext, 'doc' | 'scope' | 'files'>): FileRead | undefined {
  const reference = bodyTemplateReference(doc.value);
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
