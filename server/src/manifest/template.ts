import * as path from 'path';
import { findReferences } from '../templates/templateModel';
import { objectAt, stringAt } from './value';
import type { CheckContext } from '../diagnostics/types';

/** Absolute path of the streaming body template, when the manifest names one and has a folder. */
export function templatePath({ doc, baseDir }: Pick<CheckContext, 'doc' | 'baseDir'>): string | undefined {
  const template = stringAt(objectAt(doc.value, 'request'), 'bodyTemplate');
  return baseDir && template ? path.resolve(baseDir, template) : undefined;
}

/** The `parameters.x` or `mappedFields.x` names a template reads (also written `["x"]`), in FreeMarker code. */
export function templateNames(template: string, root: 'parameters' | 'mappedFields'): Set<string> {
  return new Set(
    findReferences(template)
      .filter((r) => r.root === root)
      .map((r) => r.name),
  );
}
