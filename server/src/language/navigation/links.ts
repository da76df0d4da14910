import type { JSONPath } from 'jsonc-parser';
import type { ManifestAnalysis } from '../../analysis';
import { locateReference, type FileScope } from '../../base/files';
import type { Span } from '../../base/text';
import { arrayAt, objectAt, stringAt } from '../../base/value';

export interface ManifestLink extends Span {
  /** An absolute file path inside the workspace, or (for `$schema` only) an https URL. */
  target: string;
  tooltip: string;
}

function references(value: unknown): { path: JSONPath; reference: string | undefined; what: string }[] {
  const refs: { path: JSONPath; reference: string | undefined; what: string }[] = [
    { path: ['$schema'], reference: stringAt(value, '$schema'), what: 'the JSON Schema' },
    { path: ['connection', 'logo'], reference: stringAt(objectAt(value, 'connection'), 'logo'), what: 'the logo' },
    {
      path: ['request', 'bodyTemplate'],
      reference: stringAt(objectAt(value, 'request'), 'bodyTemplate'),
      what: 'the body template',
    },
    {
      path: ['identify', 'bodyTemplate'],
      reference: stringAt(objectAt(value, 'identify'), 'bodyTemplate'),
      what: 'the identify body template',
    },
  ];
  arrayAt(objectAt(value, 'setup'), 'steps')?.forEach((step, i) =>
    refs.push({
      path: ['setup', 'steps', i, 'image'],
      reference: stringAt(step, 'image'),
      what: `the image of step ${i + 1}`,
    }),
  );
  return refs;
}

/**
 * The logo, body template, step images and `$schema` as links. Only files the workspace rules allow are
 * linked (a reference out of the workspace is no link: the files check says why).
 */
export function documentLinks(analysis: ManifestAnalysis, scope: FileScope | undefined): ManifestLink[] {
  const out: ManifestLink[] = [];
  for (const { path, reference, what } of references(analysis.doc.value)) {
    if (!reference) continue;
    let target: string | undefined;
    if (path[0] === '$schema' && /^https:\/\//.test(reference)) target = reference;
    else if (scope) {
      const located = locateReference(reference, scope);
      target = located.ok ? located.path : undefined;
    }
    if (target) out.push({ ...analysis.doc.stringContentSpanAt(path), target, tooltip: `Open ${what}` });
  }
  return out;
}
