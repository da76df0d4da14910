import type { ManifestAnalysis } from '../../analysis';
import type { VariableDeclaration, VariableReference } from '../../manifest/model';
import type { Span } from '../../base/text';
import { canonicalForAlias, predefinedVariable } from '../../manifest/variables';

const SOURCE_TITLE: Record<VariableDeclaration['source'], string> = {
  customField: 'Custom field',
  mappingField: 'Mapping field',
  authentication: 'Authentication',
  parameter: 'Parameter',
};

export function describeDeclaration(declaration: VariableDeclaration): string {
  return `${SOURCE_TITLE[declaration.source]} · ${declaration.displayName}`;
}

export interface VariableTarget {
  name: string;
  span: Span;
  reference?: VariableReference;
  declaration?: VariableDeclaration;
}

function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The `$variable` or the declaration name under the cursor. */
export function variableAt(analysis: ManifestAnalysis, offset: number): VariableTarget | undefined {
  const { references, declarations } = analysis.model;
  for (const reference of references) {
    const span = { start: reference.start, end: reference.start + 1 + reference.name.length };
    if (contains(span, offset))
      return {
        name: reference.name,
        span,
        reference,
        declaration: declarations.find((d) => d.name === reference.name && d.source !== 'parameter'),
      };
  }
  for (const declaration of declarations) {
    if (declaration.source !== 'authentication' && contains(declaration.nameSpan, offset))
      return { name: declaration.name, span: declaration.nameSpan, declaration };
  }
  return undefined;
}

function usesOf(analysis: ManifestAnalysis, name: string): string {
  const uses = analysis.model.references.filter((r) => r.name === name || canonicalForAlias(r.name) === name);
  if (uses.length === 0) return 'Not used in any URL, header or payload.';
  const lines = uses
    .slice(0, 8)
    .map(
      (r) =>
        `- ${r.endpoint ? `\`${r.endpoint}\` ` : ''}${r.part} (line ` +
        `${analysis.doc.lines.positionAt(r.start).line + 1})`,
    );
  if (uses.length > 8) lines.push(`- ... and ${uses.length - 8} more`);
  return `Used ${uses.length} time${uses.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}

/** Markdown for a `$variable`: where it is declared, where it is used, what Amplitude fills in. */
export function hoverVariable(
  analysis: ManifestAnalysis,
  offset: number,
): { markdown: string; span: Span } | undefined {
  const target = variableAt(analysis, offset);
  if (!target) return undefined;
  if (target.declaration) {
    const d = target.declaration;
    const line = analysis.doc.lines.positionAt(d.nameSpan.start).line + 1;
    const origin =
      d.source === 'authentication'
        ? `Declared by the \`${analysis.model.authMethod}\` authentication method (line ${line}).`
        : `Declared at line ${line}.`;
    const fills =
      d.source === 'mappingField'
        ? 'Amplitude fills it, per user, with the Amplitude property the customer maps.'
        : `Amplitude fills it with what the customer types in the setup modal as **${d.displayName}**.`;
    return {
      span: target.span,
      markdown: [
        `**$${d.name}**: ${describeDeclaration(d)}`,
        d.documentation ?? fills,
        origin,
        usesOf(analysis, d.name),
      ].join('\n\n'),
    };
  }
  const predefined = predefinedVariable(target.name);
  if (predefined) {
    const alias =
      predefined.name !== target.name
        ? `\n\n\`$${target.name}\` is a documented alias of \`$${predefined.name}\`.`
        : '';
    return {
      span: target.span,
      markdown:
        `**$${predefined.name}**: pre-defined by ` +
        `Amplitude\n\n${predefined.documentation}${alias}\n\n${usesOf(analysis, predefined.name)}`,
    };
  }
  return {
    span: target.span,
    markdown:
      `**$${target.name}** is not declared.\n\nDeclare it as a custom field or mapping field, or ` +
      `use a pre-defined variable (\`$items\`, \`$list_id\`, \`$amp_cohort_name\`, \`$amp_cohort_id\`, ` +
      `\`$amp_cohort_url\`).`,
  };
}
