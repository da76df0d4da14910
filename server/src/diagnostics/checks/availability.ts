import { unavailableAt } from '../../manifest/availability';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/**
 * Pre-defined names used where Amplitude has no value for them (`$items` outside a batch payload,
 * `$list_id` before there is a list, `$amp_cohort_membership` in a list-based sync), and mapping fields
 * outside the item template. The request builder refuses the same uses (manifest/availability.ts).
 */
export const availabilityCheck: ManifestCheck = {
  codes: ['items-unavailable', 'list-id-unavailable', 'membership-unavailable', 'mapping-field-outside-items'],
  run: ({ model }) => {
    if (model.kind === 'event-streaming' || model.kind === 'event-ingestion') return [];
    const mappingFields = new Set(model.declarations.filter((d) => d.source === 'mappingField').map((d) => d.name));
    const out: ManifestDiagnostic[] = [];
    for (const ref of model.references) {
      const site = { kind: model.kind, endpoint: ref.endpoint, part: ref.part };
      const unavailable = unavailableAt(ref.name, site, mappingFields);
      if (!unavailable) continue;
      out.push({
        start: ref.start,
        end: ref.start + 1 + ref.name.length,
        code: unavailable.code,
        severity: 'error',
        message: unavailable.message,
      });
    }
    return out;
  },
};
