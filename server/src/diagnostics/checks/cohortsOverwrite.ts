import { predefinedVariable } from '../../manifest/variables';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/** The variables whose value differs from one cohort to the next. */
export const COHORT_VARIABLES: ReadonlySet<string> = new Set(['amp_cohort_name', 'amp_cohort_id', 'amp_cohort_url']);

/**
 * "Receiving Behavioral Cohorts" (https://amplitude.com/docs/partners/receiving-behavioral-cohorts): a user in
 * several cohorts gets a separate request per cohort. A property-based update whose URL, headers, payload and
 * item template name no cohort variable sends the same request for every cohort, so the partner keeps one
 * value per user: a user who leaves one cohort loses the property of the others (simulate --cohorts shows it).
 */
export const cohortsOverwriteCheck: ManifestCheck = {
  codes: ['cohorts-overwrite'],
  run: ({ doc, model }) => {
    if (model.kind !== 'cohort-property') return [];
    const update = model.endpoints.find((e) => e.name === 'update');
    if (!update) return [];
    const tells = model.references.some(
      (ref) =>
        (ref.endpoint === 'update' || ref.endpoint === undefined) &&
        COHORT_VARIABLES.has(predefinedVariable(ref.name)?.name ?? ''),
    );
    if (tells) return [];
    return [
      {
        ...doc.keySpanAt(update.path),
        code: 'cohorts-overwrite',
        severity: 'warning',
        message:
          'Amplitude sends a separate update for each cohort a user is in, but nothing in this call says which ' +
          'cohort it is for: with two cohorts synced to one destination, one overwrites the other (a user who ' +
          'leaves one cohort is shown as out of both). Put $amp_cohort_name or $amp_cohort_id in the payload ' +
          '(for example in the property name: "amp_$amp_cohort_name") or the URL.',
      } satisfies ManifestDiagnostic,
    ];
  },
};
