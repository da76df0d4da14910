import { findNodeAtLocation } from 'jsonc-parser';
import { nodeSpan, owningProperty, propertyKey } from '../../manifest/model';
import type { ManifestCheck } from '../types';

/** The docs recommend 5 to 8 setup steps for a source. */
export const setupStepsCheck: ManifestCheck = {
  codes: ['setup-steps-count'],
  run: ({ doc }) => {
    const steps = doc.root ? findNodeAtLocation(doc.root, ['setup', 'steps']) : undefined;
    const count = steps?.type === 'array' ? steps.children?.length ?? 0 : undefined;
    if (!steps || count === undefined || (count >= 5 && count <= 8) || count === 0) return [];
    const key = propertyKey(owningProperty(steps) ?? steps) ?? steps;
    return [{
      ...nodeSpan(key), code: 'setup-steps-count', severity: 'information',
      message: `${count} setup step${count === 1 ? '' : 's'}: the portal recommends 5 to 8 steps for a good setup experience.`,
    }];
  },
};
