import { predefinedVariable } from '../../manifest/variables';
import type { ManifestCheck } from '../types';

/** `$list_id` exists only once list creation has answered: not in that call, nor in property-based syncs. */
export const listIdUnavailableCheck: ManifestCheck = {
  codes: ['list-id-unavailable'],
  run: ({ model }) =>
    model.references
      .filter(
        (ref) =>
          predefinedVariable(ref.name)?.name === 'list_id' &&
          (ref.endpoint === 'listCreation' || model.kind === 'cohort-property'),
      )
      .map((ref) => ({
        start: ref.start,
        end: ref.start + 1 + ref.name.length,
        code: 'list-id-unavailable',
        severity: 'error' as const,
        message:
          ref.endpoint === 'listCreation'
            ? `$${ref.name} is not available in the list creation call: the list does not exist yet. Amplitude reads the id from this call's response (listIdPath) and passes it to add and remove calls.`
            : `$${ref.name} is not available in a property-based cohort sync: there is no list.`,
      })),
};
