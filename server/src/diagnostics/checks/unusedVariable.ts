import { removeAt } from '../../base/jsonEdits';
import type { VariableDeclaration } from '../../manifest/model';
import { usedNames } from '../../manifest/usage';
import type { CheckContext, ManifestCheck, ManifestDiagnostic, Fix } from '../types';

const SOURCE_LABEL: Record<VariableDeclaration['source'], string> = {
  customField: 'Custom field',
  mappingField: 'Mapping field',
  authentication: 'Authentication variable',
  parameter: 'Parameter',
};

const WHERE: Record<VariableDeclaration['source'], string> = {
  customField: 'in any URL, header or payload',
  mappingField: 'in any itemTemplate, URL, header or payload',
  authentication: 'in any URL, header or payload',
  parameter: 'in the request URL, headers or body template',
};

function unusedMessage(declaration: VariableDeclaration): string {
  const label = SOURCE_LABEL[declaration.source];
  if (declaration.source === 'authentication') {
    return (
      `${label} $${declaration.name} is never used: with the Authentication Header method, send it in ` +
      `"headers", for example "Authorization": "App $${declaration.name}".`
    );
  }
  const ref = declaration.source === 'parameter' ? `parameters.${declaration.name}` : `$${declaration.name}`;
  return `${label} ${ref} is declared but never used ${WHERE[declaration.source]}.`;
}

function unusedDeclaration(text: string, declaration: VariableDeclaration): ManifestDiagnostic {
  const entryPath = declaration.entryPath;
  const fix: Fix | undefined = entryPath && {
    title: `Remove the unused ${SOURCE_LABEL[declaration.source].toLowerCase()} "${declaration.name}"`,
    edits: () => removeAt(text, entryPath),
    preferred: true,
  };
  return {
    start: declaration.nameSpan.start,
    end: declaration.nameSpan.end,
    code: 'unused-variable',
    severity: 'warning',
    unnecessary: true,
    message: unusedMessage(declaration),
    fixes: fix ? [fix] : undefined,
  };
}

/** The portal's DECLARED / USED check for streaming covers the user property mappings too. */
function unusedMappings(context: CheckContext, mappedFields: ReadonlySet<string>): ManifestDiagnostic[] {
  const { doc, model } = context;
  return model.streaming.userPropertyMappings.flatMap(({ name, path }) => {
    if (mappedFields.has(name)) return [];
    const diagnostic: ManifestDiagnostic = {
      ...doc.stringContentSpanAt([...path, 'name']),
      code: 'unused-variable',
      severity: 'warning',
      unnecessary: true,
      message:
        `User property mapping "${name}" is declared but the body template never reads ` +
        `mappedFields.${name}: customers would map it for nothing.`,
      fixes: [
        {
          title: `Remove the unused mapping "${name}"`,
          edits: () => removeAt(doc.text, path),
          preferred: true,
        },
      ],
    };
    return [diagnostic];
  });
}

/** Declared in the manifest, used nowhere: the portal's DECLARED but not USED. */
export const unusedVariableCheck: ManifestCheck = {
  codes: ['unused-variable'],
  run: (context) => {
    const used = usedNames(context);
    const unused = context.model.declarations.filter((declaration) => {
      if (declaration.implicitlyUsed) return false;
      if (declaration.source === 'parameter') return !(used.parameters?.has(declaration.name) ?? true);
      return !used.variables.has(declaration.name);
    });
    const out = unused.map((declaration) => unusedDeclaration(context.doc.text, declaration));
    if (used.mappedFields) out.push(...unusedMappings(context, used.mappedFields));
    return out;
  },
};
