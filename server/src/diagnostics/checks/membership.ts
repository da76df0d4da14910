import { MEMBERSHIP_VARIABLE, predefinedVariable } from '../../manifest/variables';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/**
 * A property-based sync calls one update endpoint both when users enter the cohort and when they
 * leave it: `$amp_cohort_membership` (true, then false) is what tells the two calls apart. In a
 * list-based sync the add and remove calls say it, and the variable has no value.
 */
export const membershipCheck: ManifestCheck = {
  codes: ['membership-unavailable', 'membership-unused'],
  run: ({ doc, model }) => {
    const uses = model.references.filter((ref) => predefinedVariable(ref.name)?.name === MEMBERSHIP_VARIABLE);
    if (model.kind !== 'cohort-property') {
      return uses.map((ref): ManifestDiagnostic => ({
        start: ref.start,
        end: ref.start + 1 + ref.name.length,
        code: 'membership-unavailable',
        severity: 'error',
        message: `$${ref.name} exists only in property-based syncs. In a list-based sync the add and remove calls say whether users entered or left the cohort.`,
      }));
    }
    const update = model.endpoints.find((e) => e.name === 'update');
    if (!update || uses.some((ref) => ref.endpoint === 'update' || ref.endpoint === undefined)) return [];
    return [
      {
        ...doc.keySpanAt(update.path),
        code: 'membership-unused',
        severity: 'warning',
        message: `Amplitude calls update when users enter the cohort and when they leave it, but this call never uses $${MEMBERSHIP_VARIABLE}: both would send the same request. Put "$${MEMBERSHIP_VARIABLE}" (true or false) in the payload or the item template.`,
      },
    ];
  },
};
