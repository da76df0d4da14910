import { replaceSpan } from '../../base/jsonEdits';
import { canonicalForAlias } from '../../manifest/variables';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/** `$listId`, `$list_Id`, `$amplitude_cohort_name`: spellings from the docs' prose, accepted but not canonical. */
export const predefinedAliasCheck: ManifestCheck = {
  codes: ['predefined-alias'],
  run: ({ model }) => {
    const out: ManifestDiagnostic[] = [];
    for (const ref of model.references) {
      const canonical = canonicalForAlias(ref.name);
      if (!canonical) continue;
      const end = ref.start + 1 + ref.name.length;
      out.push({
        start: ref.start,
        end,
        code: 'predefined-alias',
        severity: 'information',
        message:
          `$${ref.name} is a documented alias of $${canonical}; the portal's variable table shows ` + `$${canonical}.`,
        fixes: [
          { title: `Use $${canonical}`, edits: () => [replaceSpan(ref.start, end, `$${canonical}`)], preferred: true },
        ],
      });
    }
    return out;
  },
};
