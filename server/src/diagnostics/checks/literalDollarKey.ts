import { declaredVariableNames } from '../../manifest/model';
import { dollarRole } from '../../manifest/variables';
import type { ManifestCheck } from '../types';

/**
 * An object key such as `$set` or `$distinct_id` (Mixpanel's profile updates) that is no variable: Amplitude
 * sends it as it is written. Said once per key, because the portal documents no way to escape a `$`: if
 * the key ever matches a variable you declare, it would be replaced.
 */
export const literalDollarKeyCheck: ManifestCheck = {
  codes: ['literal-dollar-key'],
  run: ({ model }) => {
    const declared = declaredVariableNames(model);
    return model.references
      .filter((ref) => ref.inKey && dollarRole(ref.name, true, declared) === 'literal')
      .map((ref) => ({
        start: ref.start,
        end: ref.start + 1 + ref.name.length,
        code: 'literal-dollar-key',
        severity: 'warning' as const,
        message:
          `The key "$${ref.name}" is sent as it is written: no variable is named "${ref.name}". The portal ` +
          `documents no way to escape a "$", so declaring a field named "${ref.name}" would replace it.`,
      }));
  },
};
