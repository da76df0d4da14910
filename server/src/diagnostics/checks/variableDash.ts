import { replaceSpan } from '../edits';
import type { VariableReference } from '../../manifest/model';
import { predefinedVariable } from '../../manifest/variables';
import type { ManifestCheck } from '../types';

export function underscoredName(ref: VariableReference): string {
  return (ref.name + (ref.dashTail ?? '')).replace(/-/g, '_');
}

/** `$api-key` reads as `$api` followed by "-key"; it was meant as `$api_key` unless `$api` itself is known. */
export function dashedNameIsMeant(ref: VariableReference, declared: ReadonlySet<string>): boolean {
  if (!ref.dashTail) return false;
  return !(declared.has(ref.name) || predefinedVariable(ref.name));
}

export const variableDashCheck: ManifestCheck = {
  codes: ['variable-dash'],
  run: ({ model }) => {
    const declared = new Set(model.declarations.map((d) => d.name));
    return model.references
      .filter((ref) => dashedNameIsMeant(ref, declared))
      .map((ref) => {
        const meant = underscoredName(ref);
        return {
          start: ref.start,
          end: ref.end,
          code: 'variable-dash',
          severity: 'warning' as const,
          message: `A dash ends a variable name: this is $${ref.name} followed by "${ref.dashTail}". Use $${meant}${declared.has(meant) || predefinedVariable(meant) ? '' : ' (and declare it)'}.`,
          fixes: () => [
            { title: `Change to $${meant}`, edits: [replaceSpan(ref.start, ref.end, `$${meant}`)], preferred: true },
          ],
        };
      });
  },
};
