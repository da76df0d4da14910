import { removeAt } from '../../base/jsonEdits';
import type { VariableDeclaration } from '../../manifest/model';
import { usedNames } from '../../manifest/usage';
import { arrayAt, stringAt } from '../../base/value';
import type { CheckContext, ManifestCheck, ManifestDiagnostic } from '../types';

const SOURCE_LABEL: Record<VariableDeclaration['source'], string> = {
  customField: 'Custom field',
  mappingField: 'Mapping field',
  authentication: 'Authentication variable',
  parameter: 'Parameter',
};

/** Declared in the manifest, used nowhere: the portal's DECLARED but not USED. */
export const unusedVariableCheck: ManifestCheck = {
  codes: ['unused-variable'],
  run: (context) => {
    const { doc, model } = context;
    const used = usedNames(context);
    const out: ManifestDiagnostic[] = [];
    for (const declaration of model.declarations) {
      if (declaration.implicitlyUsed) continue;
      const isUsed =
        declaration.source === 'parameter'
          ? (used.parameters?.has(declaration.name) ?? true)
          : used.variables.has(declaration.name);
      if (isUsed) continue;
      const where =
        declaration.source === 'parameter'
          ? 'in the request URL, headers or body template'
          : declaration.source === 'mappingField'
            ? 'in any itemTemplate, URL, header or payload'
            : 'in any URL, header or payload';
      const entryPath = declaration.entryPath;
      const ref = declaration.source === 'parameter' ? `parameters.${declaration.name}` : `$${declaration.name}`;
      out.push({
        start: declaration.nameSpan.start,
        end: declaration.nameSpan.end,
        code: 'unused-variable',
        severity: 'warning',
        unnecessary: true,
        message:
          declaration.source === 'authentication'
            ? `${SOURCE_LABEL[declaration.source]} $${declaration.name} is never used: with the Authentication Header method, send it in "headers", for example "Authorization": "App $${declaration.name}".`
            : `${SOURCE_LABEL[declaration.source]} ${ref} is declared but never used ${where}.`,
        fixes: entryPath
          ? [
              {
                title: `Remove the unused ${SOURCE_LABEL[declaration.source].toLowerCase()} "${declaration.name}"`,
                edits: () => removeAt(doc.text, entryPath),
                preferred: true,
              },
            ]
          : undefined,
      });
    }
    // The portal's DECLARED / USED check for streaming covers the user property mappings too.
    if (used.mappedFields) {
      arrayAt(doc.value, 'userPropertyMappings')?.forEach((mapping, index) => {
        const name = stringAt(mapping, 'name');
        if (!name || used.mappedFields?.has(name)) return;
        const span = doc.stringContentSpanAt(['userPropertyMappings', index, 'name']);
        out.push({
          ...span,
          code: 'unused-variable',
          severity: 'warning',
          unnecessary: true,
          message: `User property mapping "${name}" is declared but the body template never reads mappedFields.${name}: customers would map it for nothing.`,
          fixes: [
            {
              title: `Remove the unused mapping "${name}"`,
              edits: () => removeAt(doc.text, ['userPropertyMappings', index]),
              preferred: true,
            },
          ],
        });
      });
    }
    return out;
  },
};
