import { arrayAt, isObject, stringAt } from '../../manifest/value';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

function optionValues(options: unknown): string[] {
  if (!Array.isArray(options)) return [];
  return options.flatMap((o) =>
    typeof o === 'string' ? [o] : typeof stringAt(o, 'value') === 'string' ? [stringAt(o, 'value') as string] : [],
  );
}

/** One name, one meaning; selects need options, and their default must be one of them. */
export const declarationsCheck: ManifestCheck = {
  codes: ['duplicate-declaration', 'missing-options', 'default-not-an-option', 'options-ignored'],
  run: ({ doc, model }) => {
    const out: ManifestDiagnostic[] = [];
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
        firstSource.set(
          key,
          declaration.source === 'authentication'
            ? `by the ${model.authMethod} authentication method`
            : `as a ${declaration.source === 'parameter' ? 'parameter' : declaration.source === 'customField' ? 'custom field' : 'mapping field'}`,
        );
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
            message: `A ${type === 'singleSelect' ? 'Single Select' : 'Button Group'} needs "options" for the customer to choose from.`,
          });
        }
        if (typeof field.default === 'string' && values.length > 0 && !values.includes(field.default)) {
          out.push({
            ...doc.spanAt([...path, 'default']),
            code: 'default-not-an-option',
            severity: 'error',
            message: `The default "${field.default}" is not one of the options (${values.map((v) => `"${v}"`).join(', ')}).`,
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
