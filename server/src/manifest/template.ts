import * as path from 'path';
import { objectAt, stringAt } from './value';
import type { CheckContext } from '../diagnostics/types';

/** Absolute path of the streaming body template, when the manifest names one and has a folder. */
export function templatePath({ doc, baseDir }: Pick<CheckContext, 'doc' | 'baseDir'>): string | undefined {
  const template = stringAt(objectAt(doc.value, 'request'), 'bodyTemplate');
  return baseDir && template ? path.resolve(baseDir, template) : undefined;
}

const MAPPED_FIELD_USE = /\bmappedFields\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:"([^"]+)"|'([^']+)')\s*\])/g;

/** `mappedFields.x` and `mappedFields["x"]` in a Freemarker template. */
export function templateMappedFieldNames(template: string): Set<string> {
  const names = new Set<string>();
  MAPPED_FIELD_USE.lastIndex = 0;
  for (let m = MAPPED_FIELD_USE.exec(template); m; m = MAPPED_FIELD_USE.exec(template)) names.add(m[1] ?? m[2] ?? m[3]);
  return names;
}

const PARAMETER_USE = /\bparameters\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:"([^"]+)"|'([^']+)')\s*\])/g;

/** `parameters.x` and `parameters["x"]` in a Freemarker template. */
export function templateParameterNames(template: string): Set<string> {
  const names = new Set<string>();
  PARAMETER_USE.lastIndex = 0;
  for (let m = PARAMETER_USE.exec(template); m; m = PARAMETER_USE.exec(template)) names.add(m[1] ?? m[2] ?? m[3]);
  return names;
}
