import { replaceSpan } from '../../base/jsonEdits';
import { declaredVariableNames, type VariableReference } from '../../manifest/model';
import { predefinedVariable } from '../../manifest/variables';
import type { ManifestCheck } from '../types';

export function underscoredName(ref: VariableReference): string {
  return (ref.name + (ref.dashTail ?? '')).replace(/-/g, '_');
}

/** `$api-key` reads as `$api` followed by "-key"; it was meant as `$api_key` unless `$api` itself is known. */
export function dashedNameIsMeant(ref: VariableReference, declared: ReadonlySet<string>): boolean {
  if (!ref.dashTail || ref.inKey) return false;
  return !(declared.has(ref.name) || predefinedVariable(ref.name));
}

/**
 * A dash ends a variable name (the docs: use `$api_key`, not `$api-key`). When what is left is no
 * variable, nothing can be sent: an error, with the fix.
 */
export const variableDashCheck: ManifestCheck = {
  codes: ['variable-dash'],
  run: ({ model }) => {
    const declared = declaredVariableNames(model);
    return model.references
      .filter((ref) => dashedNameIsMeant(ref, declared))
      .map((ref) => {
        const meant = underscoredName(ref);
        const known = declared.has(meant) || predefinedVariable(meant) !== undefined;
        return {
          start: ref.start,
          end: ref.end,
          code: 'variable-dash',
          severity: 'error' as const,
          message:
            `A dash ends a variable name: this is $${ref.name} followed by "${ref.dashTail}", and $${ref.name} ` +
            `is not declared. Use $${meant}${known ? '' : ' (and declare it)'}.`,
          fixes: [
            {
              title: `Change to $${meant}`,
              edits: () => [replaceSpan(ref.start, ref.end, `$${meant}`)],
              preferred: true,
            },
          ],
        };
      });
  },
};
