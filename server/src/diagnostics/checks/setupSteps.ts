import type { ManifestCheck } from '../types';

/** The docs recommend 5 to 8 setup steps for a source. */
export const setupStepsCheck: ManifestCheck = {
  codes: ['setup-steps-count'],
  run: ({ doc, model }) => {
    const count = model.ingestion.setup?.steps.length;
    if (count === undefined || count === 0 || (count >= 5 && count <= 8)) return [];
    return [
      {
        ...doc.keySpanAt(['setup', 'steps']),
        code: 'setup-steps-count',
        severity: 'information',
        message:
          `${count} setup step${count === 1 ? '' : 's'}: the portal recommends 5 to 8 steps for a ` +
          `good setup experience.`,
      },
    ];
  },
};
