import { MEMBERSHIP_VARIABLE, predefinedVariable } from '../../manifest/variables';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/**
 * A property-based sync calls one update endpoint both when users enter the cohort and when they
 * leave it: `$amp_cohort_membership` (true, then false) is what tells the two calls apart. Where the
 * variable has no value is the availability check's to say.
 */
export const membershipCheck: ManifestCheck = {
  codes: ['membership-unused'],
  run: ({ doc, model }) => {
    if (model.kind !== 'cohort-property') return [];
    const uses = model.references.filter((ref) => predefinedVariable(ref.name)?.name === MEMBERSHIP_VARIABLE);
    const update = model.endpoints.find((e) => e.name === 'update');
    if (!update || uses.some((ref) => ref.endpoint === 'update' || ref.endpoint === undefined)) return [];
    return [
      {
        ...doc.keySpanAt(update.path),
        code: 'membership-unused',
        severity: 'warning',
        message:
          `Amplitude calls update when users enter the cohort and when they leave it, but this call never uses ` +
          `$${MEMBERSHIP_VARIABLE}: both would send the same request. Put "$${MEMBERSHIP_VARIABLE}" (true or false) ` +
          'in the payload or the item template.',
      } satisfies ManifestDiagnostic,
    ];
  },
};
