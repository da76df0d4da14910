import type { ManifestDocument } from './document';
import {
  declaredVariableNames,
  type DeclarationSource,
  type EndpointName,
  type ManifestModel,
  type UsePart,
} from './model';
import type { Range } from '../base/text';
import { MEMBERSHIP_VARIABLE, PREDEFINED_VARIABLES, predefinedVariable } from './variables';

export interface DeclaredVariableRow {
  name: string;
  /** As the partner writes it: `$name` for cohort variables, `parameters.name` in event streaming. */
  written: string;
  source: DeclarationSource;
  displayName: string;
  range: Range;
  used: boolean;
}

export interface UsedVariableRow {
  /** As written (an alias stays an alias here). */
  name: string;
  /** With its sigil: `$name` or `parameters.name`. */
  written: string;
  canonical: string;
  status: 'declared' | 'predefined' | 'undeclared';
  uses: { endpoint?: EndpointName; part: UsePart | 'url' | 'header'; range: Range }[];
}

export interface PredefinedVariableRow {
  name: string;
  aliases: string[];
  summary: string;
  used: boolean;
}

/** The portal's variable tracker: DECLARED / USED / PRE-DEFINED. */
export interface VariablesTable {
  declared: DeclaredVariableRow[];
  used: UsedVariableRow[];
  predefined: PredefinedVariableRow[];
}

function statusOf(declared: boolean, predefined: boolean): UsedVariableRow['status'] {
  if (declared) return 'declared';
  return predefined ? 'predefined' : 'undeclared';
}

export function buildVariablesTable(
  doc: ManifestDocument,
  model: ManifestModel,
  usedParameters?: ReadonlySet<string>,
): VariablesTable {
  const declaredNames = declaredVariableNames(model);
  const used = new Map<string, UsedVariableRow>();
  for (const ref of model.references) {
    const predefined = predefinedVariable(ref.name);
    const row = used.get(ref.name) ?? {
      name: ref.name,
      written: `$${ref.name}`,
      canonical: predefined?.name ?? ref.name,
      status: statusOf(declaredNames.has(ref.name), predefined !== undefined),
      uses: [],
    };
    row.uses.push({
      endpoint: ref.endpoint,
      part: ref.part,
      range: doc.lines.rangeOf({ start: ref.start, end: ref.start + 1 + ref.name.length }),
    });
    used.set(ref.name, row);
  }
  const parameterNames = new Set(model.declarations.filter((d) => d.source === 'parameter').map((d) => d.name));
  for (const ref of model.parameterReferences) {
    const key = `parameters.${ref.name}`;
    const row = used.get(key) ?? {
      name: key,
      written: key,
      canonical: key,
      status: parameterNames.has(ref.name) ? 'declared' : 'undeclared',
      uses: [],
    };
    row.uses.push({ part: ref.part, range: doc.lines.rangeOf(ref) });
    used.set(key, row);
  }
  const usedCanonical = new Set([...used.values()].map((r) => r.canonical));
  return {
    declared: model.declarations.map((d) => ({
      name: d.name,
      written: d.source === 'parameter' ? `parameters.${d.name}` : `$${d.name}`,
      source: d.source,
      displayName: d.displayName,
      range: doc.lines.rangeOf(d.nameSpan),
      used:
        d.implicitlyUsed ||
        (d.source === 'parameter'
          ? (usedParameters ?? new Set(model.parameterReferences.map((r) => r.name))).has(d.name)
          : usedCanonical.has(d.name)),
    })),
    used: [...used.values()],
    // Event streaming has no pre-defined variables: its template reads the data model instead.
    predefined: PREDEFINED_VARIABLES.filter(() => model.kind !== 'event-streaming')
      .filter((p) => p.name !== MEMBERSHIP_VARIABLE || model.kind === 'cohort-property')
      .map((p) => ({ name: p.name, aliases: p.aliases, summary: p.summary, used: usedCanonical.has(p.name) })),
  };
}
