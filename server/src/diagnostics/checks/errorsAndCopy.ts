import { removeAt } from '../../base/jsonEdits';
import type { ManifestDocument } from '../../manifest/document';
import type { EndpointModel } from '../../manifest/model';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/**
 * An endpoint with its own `errors` and a `copyErrorsFrom`. In the Integration Portal these are one
 * choice ("Create a Cohort Syncing Integration", amplitude.com/docs/partners/create-a-cohort-sync-integration:
 * instead of writing the errors again, "select Copy errors from other endpoints"); the page does not say
 * which the portal keeps when both are given. This tool's test and simulation follow the copy, so the
 * endpoint's own rows are silently unused: the two conflict, and one must go.
 */
function bothErrorSources(doc: ManifestDocument, endpoint: EndpointModel): ManifestDiagnostic | undefined {
  if (endpoint.copyErrorsFrom === undefined || endpoint.errors.length === 0) return undefined;
  const copy = typeof endpoint.copyErrorsFrom === 'string' ? `"${endpoint.copyErrorsFrom}"` : 'another endpoint';
  const rows = `${endpoint.errors.length} error classification${endpoint.errors.length === 1 ? '' : 's'}`;
  return {
    ...doc.spanAt([...endpoint.path, 'copyErrorsFrom']),
    code: 'errors-and-copy-errors-from',
    severity: 'warning',
    message:
      `The ${endpoint.name} endpoint has ${rows} of its own and copies errors from ${copy}: the two conflict ` +
      "(the portal offers one or the other, and Amplitude's documentation does not say which it keeps). " +
      "Test and simulate here use the copy and ignore this endpoint's own rows. Keep one.",
    fixes: [
      {
        title: `Keep this endpoint's own ${rows} (remove copyErrorsFrom)`,
        edits: () => removeAt(doc.text, [...endpoint.path, 'copyErrorsFrom']),
      },
      {
        title: `Keep copying from ${copy} (remove this endpoint's errors)`,
        edits: () => removeAt(doc.text, [...endpoint.path, 'errors']),
      },
    ],
  };
}

export const errorsAndCopyCheck: ManifestCheck = {
  codes: ['errors-and-copy-errors-from'],
  run: ({ doc, model }) =>
    model.endpoints
      .map((endpoint) => bothErrorSources(doc, endpoint))
      .filter((d): d is ManifestDiagnostic => d !== undefined),
};
