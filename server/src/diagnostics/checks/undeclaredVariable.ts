import { isObject } from '../../manifest/value';
import { appendTo } from '../edits';
import { predefinedVariable } from '../../manifest/variables';
import type { ManifestCheck, ManifestDiagnostic } from '../types';
import { dashedNameIsMeant } from './variableDash';

function displayNameFor(variable: string): string {
  return variable
    .split('_')
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

/** `$name` used in a URL, header or payload that nothing declares and Amplitude does not fill in. */
export const undeclaredVariableCheck: ManifestCheck = {
  codes: ['undeclared-variable', 'undeclared-parameter'],
  run: ({ doc, model }) => {
    const declared = new Set(model.declarations.filter((d) => d.source !== 'parameter').map((d) => d.name));
    const customFields = isObject(doc.value) ? doc.value.customFields : undefined;
    const customFieldCount = Array.isArray(customFields) ? customFields.length : undefined;
    const out: ManifestDiagnostic[] = [];
    for (const ref of model.references) {
      if (declared.has(ref.name) || predefinedVariable(ref.name)) continue;
      if (ref.dashTail && dashedNameIsMeant(ref, declared)) continue; // variable-dash says it better
      const field = { variable: ref.name, displayName: displayNameFor(ref.name), type: 'string' };
      out.push({
        start: ref.start,
        end: ref.start + 1 + ref.name.length,
        code: 'undeclared-variable',
        severity: 'error',
        message: `$${ref.name} is not declared: add a custom field or mapping field named "${ref.name}", or use a pre-defined variable.`,
        fixes:
          customFields !== undefined && !Array.isArray(customFields)
            ? undefined
            : () => [
                {
                  title: `Declare $${ref.name} as a custom field`,
                  edits: appendTo(doc.text, ['customFields'], customFieldCount, [field]),
                  preferred: true,
                },
              ],
      });
    }
    if (model.kind === 'event-streaming' || model.parameterReferences.length > 0) {
      const parameters = new Set(model.declarations.filter((d) => d.source === 'parameter').map((d) => d.name));
      const parameterArray = isObject(doc.value) ? doc.value.parameters : undefined;
      const parameterCount = Array.isArray(parameterArray) ? parameterArray.length : undefined;
      for (const ref of model.parameterReferences) {
        if (parameters.has(ref.name)) continue;
        out.push({
          start: ref.start,
          end: ref.end,
          code: 'undeclared-parameter',
          severity: 'error',
          message: `Parameter "${ref.name}" is not declared in "parameters".`,
          fixes:
            parameterArray !== undefined && !Array.isArray(parameterArray)
              ? undefined
              : () => [
                  {
                    title: `Declare parameter "${ref.name}"`,
                    edits: appendTo(doc.text, ['parameters'], parameterCount, [
                      { name: ref.name, displayName: displayNameFor(ref.name) },
                    ]),
                    preferred: true,
                  },
                ],
        });
      }
    }
    return out;
  },
};
