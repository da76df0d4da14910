import * as path from 'path';
import { findNodeAtLocation } from 'jsonc-parser';
import type { CheckContext } from '../diagnostics/types';

/** Absolute path of the streaming body template, when the manifest names one and has a folder. */
export function templatePath({ doc, baseDir }: Pick<CheckContext, 'doc' | 'baseDir'>): string | undefined {
  const node = doc.root ? findNodeAtLocation(doc.root, ['request', 'bodyTemplate']) : undefined;
  if (!baseDir || node?.type !== 'string' || typeof node.value !== 'string' || node.value === '') return undefined;
  return path.resolve(baseDir, node.value);
}

const PARAMETER_USE = /\bparameters\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:"([^"]+)"|'([^']+)')\s*\])/g;

/** `parameters.x` and `parameters["x"]` in a Freemarker template. */
export function templateParameterNames(template: string): Set<string> {
  const names = new Set<string>();
  PARAMETER_USE.lastIndex = 0;
  for (let m = PARAMETER_USE.exec(template); m; m = PARAMETER_USE.exec(template)) names.add(m[1] ?? m[2] ?? m[3]);
  return names;
}
