import type { Edit } from 'jsonc-parser';
import type { ManifestAnalysis } from '../analysis';
import { addCommonClassificationsEdits } from '../diagnostics/checks/errorClassifications';
import type { ManifestDiagnostic } from '../diagnostics/types';
import type { Span } from '../manifest/text';

export interface ManifestCodeAction {
  title: string;
  kind: 'quickfix' | 'refactor.rewrite';
  edits: Edit[];
  preferred?: boolean;
  /** The diagnostic this action fixes, if any. */
  diagnostic?: ManifestDiagnostic;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Fixes carried by the diagnostics under the selection. */
function diagnosticFixes(analysis: ManifestAnalysis, selection: Span): ManifestCodeAction[] {
  return analysis.diagnostics
    .filter((d) => d.fixes && overlaps(d, selection))
    .flatMap((d) =>
      (d.fixes?.() ?? [])
        .filter((f) => f.edits.length > 0)
        .map((f) => ({
          title: f.title,
          kind: 'quickfix' as const,
          edits: f.edits,
          preferred: f.preferred,
          diagnostic: d,
        })),
    );
}

/** "Add the common error classifications" anywhere inside an endpoint that lacks some of them. */
function addClassifications(analysis: ManifestAnalysis, selection: Span): ManifestCodeAction[] {
  const { doc, model } = analysis;
  const endpoint = model.endpoints.find((e) => {
    const property = doc.nodeAt(e.path)?.parent;
    return (
      property !== undefined && property.offset <= selection.start && selection.end <= property.offset + property.length
    );
  });
  if (!endpoint || endpoint.copyErrorsFrom !== undefined) return [];
  if (
    analysis.diagnostics.some(
      (d) => d.code === 'no-error-classifications' && d.start === doc.keySpanAt(endpoint.path).start,
    )
  )
    return []; // its quick fix already offers this
  const { edits, added } = addCommonClassificationsEdits(analysis.doc.text, endpoint);
  return added.length
    ? [
        {
          title: `Add common error classifications to ${endpoint.name} (${added.join(', ')})`,
          kind: 'refactor.rewrite',
          edits,
        },
      ]
    : [];
}

const PROVIDERS = [diagnosticFixes, addClassifications];

export function codeActions(analysis: ManifestAnalysis, selection: Span): ManifestCodeAction[] {
  return PROVIDERS.flatMap((provide) => provide(analysis, selection));
}
