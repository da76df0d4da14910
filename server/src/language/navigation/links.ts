import type { JSONPath } from 'jsonc-parser';
import type { ManifestAnalysis } from '../../analysis';
import { locateReference, type FileScope } from '../../base/files';
import type { Span } from '../../base/text';
import { stringAt } from '../../base/value';
import { bodyTemplateReference } from '../../manifest/streaming';

export interface ManifestLink extends Span {
  /** An absolute file path inside the workspace, or (for `$schema` only) an https URL. */
  target: string;
  tooltip: string;
}

type Reference = { path: JSONPath; reference: string | undefined; what: string };

/** Every file the manifest names: `$schema` is the document's own (no part of the model), the rest the model's. */
function references({ doc, model }: ManifestAnalysis): Reference[] {
  const { streaming } = model;
  const refs: Reference[] = [
    { path: ['$schema'], reference: stringAt(doc.value, '$schema'), what: 'the JSON Schema' },
    { path: ['connection', 'logo'], reference: model.connection.logo, what: 'the logo' },
    {
      path: ['request', 'bodyTemplate'],
      reference: bodyTemplateReference(streaming, 'events'),
      what: 'the body template',
    },
    {
      path: ['identify', 'bodyTemplate'],
      reference: bodyTemplateReference(streaming, 'identify'),
      what: 'the identify body template',
    },
  ];
  model.ingestion.setup?.steps.forEach((step, i) =>
    refs.push({ path: ['setup', 'steps', i, 'image'], reference: step.image, what: `the image of step ${i + 1}` }),
  );
  return refs;
}

/**
 * The logo, body template, step images and `$schema` as links. Only files the workspace rules allow are
 * linked (a reference out of the workspace is no link: the files check says why).
 */
export function documentLinks(analysis: ManifestAnalysis, scope: FileScope | undefined): ManifestLink[] {
  const out: ManifestLink[] = [];
  for (const { path, reference, what } of references(analysis)) {
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
