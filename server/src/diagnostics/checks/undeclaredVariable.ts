import { isObject } from '../../base/value';
import { appendTo } from '../../base/jsonEdits';
import { dollarRole } from '../../manifest/variables';
import type { ManifestCheck, ManifestDiagnostic } from '../types';
import { dashedNameIsMeant } from './variableDash';
import type { ManifestDocument } from '../../manifest/document';
import { declaredVariableNames, type ManifestModel } from '../../manifest/model';

export function displayNameFor(variable: string): string {
  return variable
    .split('_')
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function arrayLength(doc: ManifestDocument, key: string): { length: number | undefined; usable: boolean } {
  const value = isObject(doc.value) ? doc.value[key] : undefined;
  return {
    length: Array.isArray(value) ? value.length : undefined,
    usable: value === undefined || Array.isArray(value),
  };
}

/** `$name` in a value (URL, header or payload) that nothing declares and Amplitude does not fill in. */
function undeclaredVariables(doc: ManifestDocument, model: ManifestModel): ManifestDiagnostic[] {
  const declared = declaredVariableNames(model);
  const customFields = arrayLength(doc, 'customFields');
  const out: ManifestDiagnostic[] = [];
  for (const ref of model.references) {
    if (dollarRole(ref.name, ref.inKey, declared) !== 'undeclared') continue;
    if (ref.dashTail && dashedNameIsMeant(ref, declared)) continue; // variable-dash says it better
    const field = { variable: ref.name, displayName: displayNameFor(ref.name), type: 'string' };
    out.push({
      start: ref.start,
      end: ref.start + 1 + ref.name.length,
      code: 'undeclared-variable',
      severity: 'error',
      message:
        `$${ref.name} is not declared: add a custom field or mapping field named "${ref.name}", or use a ` +
        'pre-defined variable. Nothing can be sent until it has a value.',
      fixes: customFields.usable
        ? [
            {
              title: `Declare $${ref.name} as a custom field`,
              edits: () => appendTo(doc.text, ['customFields'], customFields.length, [field]),
              preferred: true,
            },
          ]
        : undefined,
    });
  }
  return out;
}

/** `${parameters.x}` in a streaming URL or header with no such parameter. */
function undeclaredParameters(doc: ManifestDocument, model: ManifestModel): ManifestDiagnostic[] {
  if (model.kind !== 'event-streaming' && model.parameterReferences.length === 0) return [];
  const parameters = new Set(model.declarations.filter((d) => d.source === 'parameter').map((d) => d.name));
  const array = arrayLength(doc, 'parameters');
  return model.parameterReferences
    .filter((ref) => !parameters.has(ref.name))
    .map((ref) => ({
      start: ref.start,
      end: ref.end,
      code: 'undeclared-parameter',
      severity: 'error' as const,
      message: `Parameter "${ref.name}" is not declared in "parameters".`,
      fixes: array.usable
        ? [
            {
              title: `Declare parameter "${ref.name}"`,
              edits: () =>
                appendTo(doc.text, ['parameters'], array.length, [
                  { name: ref.name, displayName: displayNameFor(ref.name) },
                ]),
              preferred: true,
            },
          ]
        : undefined,
    }));
}

export const undeclaredVariableCheck: ManifestCheck = {
  codes: ['undeclared-variable', 'undeclared-parameter'],
  run: ({ doc, model }) => [...undeclaredVariables(doc, model), ...undeclaredParameters(doc, model)],
};
