import { predefinedVariable } from '../../manifest/variables';
import type { ManifestCheck } from '../types';

/** Slugify only changes `$amp_cohort_name`; turned on without it, it does nothing. */
export const slugifyCheck: ManifestCheck = {
  codes: ['slugify-without-cohort-name'],
  run: ({ doc, model }) => {
    if (!model.cohort.slugifyCohortName || (model.kind !== 'cohort-list' && model.kind !== 'cohort-property'))
      return [];
    if (model.references.some((r) => predefinedVariable(r.name)?.name === 'amp_cohort_name')) return [];
    return [
      {
        ...doc.spanAt(['slugifyCohortName']),
        code: 'slugify-without-cohort-name',
        severity: 'information',
        message: 'slugifyCohortName has no effect: no endpoint uses $amp_cohort_name.',
      },
    ];
  },
};
