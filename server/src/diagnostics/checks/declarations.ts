import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { nodeSpan, propertyKey, owningProperty } from '../../manifest/model';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

function optionValues(options: Node | undefined): string[] {
  if (options?.type !== 'array') return [];
  return (options.children ?? []).flatMap((o) => {
    if (o.type === 'string') return [String(o.value)];
    const value = findNodeAtLocation(o, ['value']);
    return value?.type === 'string' ? [String(value.value)] : [];
  });
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
          ...declaration.nameSpan, code: 'duplicate-declaration', severity: 'error',
          message: `"${declaration.name}" is already declared (${previous}): each variable needs one declaration.`,
        });
      } else if (!previous) {
        firstSource.set(key, declaration.source === 'authentication' ? `by the ${model.authMethod} authentication method` : `as a ${declaration.source === 'parameter' ? 'parameter' : declaration.source === 'customField' ? 'custom field' : 'mapping field'}`);
      }
    }
    const root = doc.root;
    for (const arrayKey of ['customFields', 'mappingFields']) {
      const array = root ? findNodeAtLocation(root, [arrayKey]) : undefined;
      if (array?.type !== 'array') continue;
      for (const field of array.children ?? []) {
        const typeNode = findNodeAtLocation(field, ['type']);
        const type = typeNode?.value;
        const options = findNodeAtLocation(field, ['options']);
        const values = optionValues(options);
        if ((type === 'singleSelect' || type === 'buttonGroup') && values.length === 0 && typeNode) {
          out.push({ ...nodeSpan(typeNode), code: 'missing-options', severity: 'error', message: `A ${type === 'singleSelect' ? 'Single Select' : 'Button Group'} needs "options" for the customer to choose from.` });
        }
        const defaultNode = findNodeAtLocation(field, ['default']);
        if (defaultNode?.type === 'string' && values.length > 0 && !values.includes(String(defaultNode.value))) {
          out.push({ ...nodeSpan(defaultNode), code: 'default-not-an-option', severity: 'error', message: `The default "${String(defaultNode.value)}" is not one of the options (${values.map((v) => `"${v}"`).join(', ')}).` });
        }
        if (type === 'string' && options) {
          const key = propertyKey(owningProperty(options) ?? options);
          if (key) out.push({ ...nodeSpan(key), code: 'options-ignored', severity: 'warning', message: 'A String field shows a text input: its "options" are never shown. Use "singleSelect" or remove them.' });
        }
      }
    }
    return out;
  },
};
