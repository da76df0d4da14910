import { removeAt } from '../edits';
import type { VariableDeclaration } from '../../manifest/model';
import { templateParameterNames, templatePath } from '../../manifest/template';
import type { CheckContext, ManifestCheck, ManifestDiagnostic } from '../types';

const SOURCE_LABEL: Record<VariableDeclaration['source'], string> = {
  customField: 'Custom field',
  mappingField: 'Mapping field',
  authentication: 'Authentication variable',
  parameter: 'Parameter',
};

/** The names used anywhere they can be: cohort `$variables` and streaming `${parameters.x}` (URL, headers, template). */
export function usedNames(context: CheckContext): { variables: Set<string>; parameters: Set<string> | undefined } {
  const { model } = context;
  const variables = new Set(model.references.map((r) => r.name));
  const parameters = new Set(model.parameterReferences.map((r) => r.name));
  const template = templatePath(context);
  if (template) {
    const text = context.files?.readText(template);
    if (text === undefined) return { variables, parameters: undefined }; // unknown: template-missing speaks instead
    for (const name of templateParameterNames(text)) parameters.add(name);
  }
  return { variables, parameters };
}

/** Declared in the manifest, used nowhere: the portal's DECLARED but not USED. */
export const unusedVariableCheck: ManifestCheck = {
  codes: ['unused-variable'],
  run: (context) => {
    const { doc, model } = context;
    const used = usedNames(context);
    const out: ManifestDiagnostic[] = [];
    for (const declaration of model.declarations) {
      if (declaration.implicitlyUsed) continue;
      const isUsed = declaration.source === 'parameter' ? used.parameters?.has(declaration.name) ?? true : used.variables.has(declaration.name);
      if (isUsed) continue;
      const where = declaration.source === 'parameter' ? 'in the request URL, headers or body template' : declaration.source === 'mappingField' ? 'in any itemTemplate, URL, header or payload' : 'in any URL, header or payload';
      const entryPath = declaration.entryPath;
      const ref = declaration.source === 'parameter' ? `parameters.${declaration.name}` : `$${declaration.name}`;
      out.push({
        start: declaration.nameSpan.start,
        end: declaration.nameSpan.end,
        code: 'unused-variable',
        severity: 'warning',
        unnecessary: true,
        message: declaration.source === 'authentication'
          ? `${SOURCE_LABEL[declaration.source]} $${declaration.name} is never used: with the Authentication Header method, send it in "headers", for example "Authorization": "App $${declaration.name}".`
          : `${SOURCE_LABEL[declaration.source]} ${ref} is declared but never used ${where}.`,
        fixes: entryPath ? () => [{ title: `Remove the unused ${SOURCE_LABEL[declaration.source].toLowerCase()} "${declaration.name}"`, edits: removeAt(doc.text, entryPath), preferred: true }] : undefined,
      });
    }
    return out;
  },
};
