import { readPortalText } from '../../manifest/portalText';
import { stringAt } from '../../base/value';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/** A payload or item template in the portal editor's text must be JSON once its variables have values. */
export const portalTextCheck: ManifestCheck = {
  codes: ['payload-text-not-json'],
  run: ({ doc, model }) => {
    const out: ManifestDiagnostic[] = [];
    for (const endpoint of model.endpoints) {
      for (const key of ['payloadText', 'itemTemplateText']) {
        const text = stringAt(endpoint.value, key);
        if (text === undefined) continue;
        const { problem } = readPortalText(text);
        if (!problem) continue;
        out.push({
          ...doc.stringContentSpanAt([...endpoint.path, key]),
          code: 'payload-text-not-json',
          severity: 'error',
          message:
            `${key} is not JSON once its variables have values (${problem.message}). Bare variables stand for ` +
            'JSON values ($items), quoted ones for text ("$amp_cohort_name").',
        });
      }
    }
    return out;
  },
};
