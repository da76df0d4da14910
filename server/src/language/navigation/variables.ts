import type { ManifestAnalysis } from '../../analysis';
import type { Span } from '../../base/text';
import { canonicalForAlias, predefinedVariable, VARIABLE_NAME } from '../../manifest/variables';
import { variableAt } from '../hover/variables';

/** Where the variable under the cursor is declared (custom field, mapping field, or the auth method). */
export function findDefinition(analysis: ManifestAnalysis, offset: number): Span | undefined {
  return variableAt(analysis, offset)?.declaration?.nameSpan;
}

/** Every `$name` use of the variable under the cursor (aliases of a pre-defined name included), and its declaration. */
export function findReferences(analysis: ManifestAnalysis, offset: number, includeDeclaration: boolean): Span[] {
  const target = variableAt(analysis, offset);
  if (!target) return [];
  const canonical = canonicalForAlias(target.name) ?? target.name;
  const spans: Span[] = [];
  if (includeDeclaration && target.declaration) spans.push(target.declaration.nameSpan);
  for (const r of analysis.model.references) {
    if (r.name === canonical || canonicalForAlias(r.name) === canonical)
      spans.push({ start: r.start, end: r.start + 1 + r.name.length });
  }
  return spans;
}

export class RenameRefusal extends Error {}

/** The part of the text a rename replaces: the name without `$`. */
export function prepareRename(analysis: ManifestAnalysis, offset: number): { span: Span; placeholder: string } {
  const target = variableAt(analysis, offset);
  if (!target)
    throw new RenameRefusal('Place the cursor on a $variable or on the name of a custom field or mapping field.');
  if (target.declaration?.source === 'authentication')
    throw new RenameRefusal(`$${target.name} is named by the authentication method; it cannot be renamed.`);
  if (!target.declaration && predefinedVariable(target.name))
    throw new RenameRefusal(`$${target.name} is pre-defined by Amplitude; it cannot be renamed.`);
  if (!target.declaration) throw new RenameRefusal(`$${target.name} is not declared; declare it first.`);
  const start = target.reference ? target.span.start + 1 : target.span.start;
  return { span: { start, end: start + target.name.length }, placeholder: target.name };
}

/** Edits renaming a custom or mapping field variable: its declaration and every use. */
export function renameVariable(
  analysis: ManifestAnalysis,
  offset: number,
  newName: string,
): { span: Span; newText: string }[] {
  prepareRename(analysis, offset);
  const name = newName.startsWith('$') ? newName.slice(1) : newName;
  if (!VARIABLE_NAME.test(name))
    throw new RenameRefusal(
      `"${newName}" is not a valid variable name: use letters, digits and underscores, starting with a ` +
        `letter or underscore.`,
    );
  const target = variableAt(analysis, offset);
  const declaration = target?.declaration;
  if (!declaration) return [];
  if (analysis.model.declarations.some((d) => d.name === name && d !== declaration && d.source !== 'parameter'))
    throw new RenameRefusal(`$${name} is already declared.`);
  const predefined = predefinedVariable(name);
  if (predefined) {
    throw new RenameRefusal(
      `$${name} is pre-defined by Amplitude ($${predefined.name}): a field of that name would be ambiguous.`,
    );
  }
  const edits = [{ span: declaration.nameSpan, newText: name }];
  for (const r of analysis.model.references) {
    if (r.name === declaration.name)
      edits.push({ span: { start: r.start + 1, end: r.start + 1 + r.name.length }, newText: name });
  }
  return edits;
}
