import type { DeclarationSource, ManifestModel } from '../../manifest/model';
import { arrayAt, isObject, stringAt } from '../../base/value';
import { predefinedVariable } from '../../manifest/variables';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

const DECLARED_BY: Record<DeclarationSource, (model: ManifestModel) => string> = {
  authentication: (model) => `by the ${model.authMethod} authentication method`,
  parameter: () => 'as a parameter',
  customField: () => 'as a custom field',
  mappingField: () => 'as a mapping field',
};

function optionValues(options: unknown): string[] {
  if (!Array.isArray(options)) return [];
  return options.flatMap((o) => {
    const value = typeof o === 'string' ? o : stringAt(o, 'value');
    return value === undefined ? [] : [value];
  });
}

/** A custom or mapping field named like a pre-defined variable would hide it (or be hidden): two meanings, one name. */
function shadowing(model: ManifestModel): ManifestDiagnostic[] {
  return model.declarations
    .filter((d) => (d.source === 'customField' || d.source === 'mappingField') && predefinedVariable(d.name))
    .map((d) => ({
      ...d.nameSpan,
      code: 'shadows-predefined',
      severity: 'error' as const,
      message:
        `"${d.name}" is a pre-defined variable ($${predefinedVariable(d.name)?.name ?? d.name}, filled in by ` +
        'Amplitude): a field of that name would be ambiguous. Choose another name.',
    }));
}

/** One name, one meaning; selects need options, and their default must be one of them. */
export const declarationsCheck: ManifestCheck = {
  codes: ['duplicate-declaration', 'shadows-predefined', 'missing-options', 'default-not-an-option', 'options-ignored'],
  run: ({ doc, model }) => {
    const out: ManifestDiagnostic[] = shadowing(model);
    const firstSource = new Map<string, string>();
    for (const declaration of model.declarations) {
      const key = `${declaration.source === 'parameter' ? 'p' : 'v'}:${declaration.name}`;
      const previous = firstSource.get(key);
      if (previous && declaration.source !== 'authentication') {
        out.push({
          ...declaration.nameSpan,
          code: 'duplicate-declaration',
          severity: 'error',
          message: `"${declaration.name}" is already declared (${previous}): each variable needs one declaration.`,
        });
      } else if (!previous) {
        firstSource.set(key, DECLARED_BY[declaration.source](model));
      }
    }
    for (const arrayKey of ['customFields', 'mappingFields']) {
      arrayAt(doc.value, arrayKey)?.forEach((field, index) => {
        if (!isObject(field)) return;
        const path = [arrayKey, index];
        const type = field.type;
        const values = optionValues(field.options);
        if ((type === 'singleSelect' || type === 'buttonGroup') && values.length === 0) {
          out.push({
            ...doc.spanAt([...path, 'type']),
            code: 'missing-options',
            severity: 'error',
            message:
              `A ${type === 'singleSelect' ? 'Single Select' : 'Button Group'} needs "options" for ` +
              `the customer to choose from.`,
          });
        }
        if (typeof field.default === 'string' && values.length > 0 && !values.includes(field.default)) {
          out.push({
            ...doc.spanAt([...path, 'default']),
            code: 'default-not-an-option',
            severity: 'error',
            message:
              `The default "${field.default}" is not one of the options ` +
              `(${values.map((v) => `"${v}"`).join(', ')}).`,
          });
        }
        if (type === 'string' && field.options !== undefined) {
          out.push({
            ...doc.keySpanAt([...path, 'options']),
            code: 'options-ignored',
            severity: 'warning',
            message:
              'A String field shows a text input: its "options" are never shown. Use "singleSelect" or remove them.',
          });
        }
      });
    }
    return out;
  },
};
