import { replaceSpan } from '../../base/jsonEdits';
import { validateAgainstSchema } from '../../manifest/schema';
import type { ManifestCheck } from '../types';

/** The JSON Schema, with ajv's errors mapped to exact ranges. */
export const schemaCheck: ManifestCheck = {
  codes: ['unknown-property', 'missing-property', 'wrong-type', 'invalid-value', 'out-of-range'],
  run: ({ doc }) =>
    validateAgainstSchema(doc).map((p) => ({
      start: p.start,
      end: p.end,
      code: p.code,
      message: p.message,
      severity: 'error',
      fixes: p.suggestion
        ? [
            {
              title: `Rename to "${p.suggestion}"`,
              edits: () => [replaceSpan(p.start, p.end, JSON.stringify(p.suggestion))],
              preferred: true,
            },
          ]
        : undefined,
    })),
};
