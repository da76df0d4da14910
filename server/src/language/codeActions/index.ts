import type { Edit } from 'jsonc-parser';
import type { ManifestAnalysis } from '../../analysis';
import { addCommonClassificationsEdits } from '../../manifest/errorTable';
import type { ManifestDiagnostic } from '../../base/diagnostic';
import type { Span } from '../../base/text';

export interface ManifestCodeAction {
  title: string;
  kind: 'quickfix' | 'refactor.rewrite';
  /** Computed when the action is chosen (codeAction/resolve), or for clients that cannot resolve. */
  edits: () => Edit[];
  preferred?: boolean;
  /** The diagnostic this action fixes, if any. */
  diagnostic?: ManifestDiagnostic;
  /** Finds this action again in the same analysis: `d:<diagnostic>:<fix>` or `c:<endpoint>`. */
  key: string;
}

/**
 * At most this many diagnostics' fixes per request: a selection over a whole manifest with 20,000 problems
 * must still be answered at once. Those nearest the start of the selection come first.
 */
export const MAX_FIXED_DIAGNOSTICS = 100;

function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Fixes carried by the diagnostics under the selection. */
function diagnosticFixes(analysis: ManifestAnalysis, selection: Span): ManifestCodeAction[] {
  const out: ManifestCodeAction[] = [];
  let fixed = 0;
  for (let index = 0; index < analysis.diagnostics.length && fixed < MAX_FIXED_DIAGNOSTICS; index++) {
    const d = analysis.diagnostics[index];
    if (!d.fixes || !overlaps(d, selection)) continue;
    fixed++;
    d.fixes.forEach((fix, fixIndex) =>
      out.push({
        title: fix.title,
        kind: 'quickfix',
        edits: fix.edits,
        preferred: fix.preferred,
        diagnostic: d,
        key: `d:${index}:${fixIndex}`,
      }),
    );
  }
  return out;
}

function endpointAround(analysis: ManifestAnalysis, selection: Span) {
  const { doc, model } = analysis;
  return model.endpoints.find((e) => {
    const property = doc.nodeAt(e.path)?.parent;
    return (
      property !== undefined && property.offset <= selection.start && selection.end <= property.offset + property.length
    );
  });
}

/** "Add the common error classifications" anywhere inside an endpoint that lacks some of them. */
function addClassifications(analysis: ManifestAnalysis, selection: Span): ManifestCodeAction[] {
  const endpoint = endpointAround(analysis, selection);
  if (!endpoint || endpoint.copyErrorsFrom !== undefined) return [];
  const keyStart = analysis.doc.keySpanAt(endpoint.path).start;
  // Its quick fix already offers this.
  if (analysis.diagnostics.some((d) => d.code === 'no-error-classifications' && d.start === keyStart)) return [];
  const { edits, added } = addCommonClassificationsEdits(analysis.doc.text, endpoint);
  if (added.length === 0) return [];
  return [
    {
      title: `Add common error classifications to ${endpoint.name} (${added.join(', ')})`,
      kind: 'refactor.rewrite',
      edits,
      key: `c:${endpoint.name}`,
    },
  ];
}

const PROVIDERS = [diagnosticFixes, addClassifications];

export function codeActions(analysis: ManifestAnalysis, selection: Span): ManifestCodeAction[] {
  return PROVIDERS.flatMap((provide) => provide(analysis, selection));
}

/** The edits of the action `key` names, in the same analysis (undefined when it no longer exists). */
export function resolveCodeAction(analysis: ManifestAnalysis, key: string): Edit[] | undefined {
  const [kind, first, second] = key.split(':');
  if (kind === 'd') {
    return analysis.diagnostics[Number(first)]?.fixes?.[Number(second)]?.edits();
  }
  if (kind === 'c') {
    const endpoint = analysis.model.endpoints.find((e) => e.name === first);
    return endpoint ? addCommonClassificationsEdits(analysis.doc.text, endpoint).edits() : undefined;
  }
  return undefined;
}
