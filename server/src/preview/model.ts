import type { JSONPath } from 'jsonc-parser';
import type { ManifestAnalysis } from '../analysis';
import { AUTH_VARIABLES } from '../manifest/variables';
import { arrayAt, isObject, objectAt, stringAt } from '../base/value';
import type { VariablesTable } from '../manifest/variablesTable';

/** One input of the setup modal, in the portal's order, with where it is declared (for click-to-reveal). */
export interface PreviewField {
  label: string;
  control: 'text' | 'password' | 'select' | 'buttonGroup' | 'propertyPicker';
  options?: { label: string; value: string }[];
  defaultValue?: string;
  optional?: boolean;
  required?: boolean;
  description?: string;
  /** The mapping's destination side, for property pickers. */
  target?: string;
  path: JSONPath;
}

export interface PreviewStep {
  text: string;
  image?: string;
  showProjectApiKey: boolean;
  path: JSONPath;
}

/** What the preview shows, read from a manifest: every string here is untrusted text. */
export interface PreviewModel {
  kind: string;
  displayName: string;
  category?: string;
  summary?: string;
  logo?: string;
  fields: PreviewField[];
  mappings: PreviewField[];
  streaming?: { propertiesToSend: boolean };
  source?: { subtitle: string; steps: PreviewStep[]; additionalResources?: string };
  slugify: boolean;
  variables?: VariablesTable;
  problems: { message: string; severity: string }[];
}

function options(value: unknown): { label: string; value: string }[] {
  return (Array.isArray(value) ? value : []).flatMap((o) => {
    if (typeof o === 'string') return [{ label: o, value: o }];
    const label = stringAt(o, 'label');
    const v = stringAt(o, 'value');
    return label !== undefined && v !== undefined ? [{ label, value: v }] : [];
  });
}

export function previewModel(analysis: ManifestAnalysis): PreviewModel {
  const value = analysis.doc.value;
  const connection = objectAt(value, 'connection');
  const kind = analysis.model.kind ?? stringAt(value, 'kind') ?? 'unknown';
  const model: PreviewModel = {
    kind,
    displayName: stringAt(connection, 'displayName') ?? '(no display name)',
    category: stringAt(connection, 'category'),
    summary: stringAt(connection, 'summary'),
    logo: stringAt(connection, 'logo'),
    fields: [],
    mappings: [],
    slugify: isObject(value) && value.slugifyCohortName === true,
    problems: analysis.diagnostics
      .filter((d) => d.severity === 'error' || d.severity === 'warning')
      .map((d) => ({ message: d.message, severity: d.severity })),
  };
  if (kind === 'cohort-list' || kind === 'cohort-property') {
    const auth = objectAt(value, 'authentication');
    const method = analysis.model.authMethod;
    if (method) {
      for (const variable of AUTH_VARIABLES[method]) {
        model.fields.push({
          label: stringAt(auth, variable.displayNameKey) ?? variable.defaultDisplayName,
          control: 'password',
          optional: variable.name === 'api_secret',
          path: ['authentication', variable.displayNameKey],
        });
      }
    }
    (arrayAt(value, 'customFields') ?? []).forEach((f, i) => {
      const type = stringAt(f, 'type');
      model.fields.push({
        label: stringAt(f, 'displayName') ?? stringAt(f, 'variable') ?? '',
        control:
          type === 'singleSelect'
            ? 'select'
            : type === 'buttonGroup'
              ? 'buttonGroup'
              : isObject(f) && f.secret === true
                ? 'password'
                : 'text',
        options: options(isObject(f) ? f.options : undefined),
        defaultValue: stringAt(f, 'default'),
        description: stringAt(f, 'description'),
        path: ['customFields', i],
      });
    });
    (arrayAt(value, 'mappingFields') ?? []).forEach((f, i) => {
      model.mappings.push({
        label: stringAt(f, 'label') ?? 'Key',
        control: 'propertyPicker',
        target: stringAt(f, 'displayName') ?? stringAt(f, 'variable') ?? '',
        options: options(isObject(f) ? f.options : undefined),
        path: ['mappingFields', i],
      });
    });
  } else if (kind === 'event-streaming') {
    (arrayAt(value, 'parameters') ?? []).forEach((p, i) => {
      model.fields.push({
        label: stringAt(p, 'displayName') ?? stringAt(p, 'name') ?? '',
        control: isObject(p) && p.secret === true ? 'password' : 'text',
        path: ['parameters', i],
      });
    });
    (arrayAt(value, 'userPropertyMappings') ?? []).forEach((m, i) => {
      model.mappings.push({
        label: stringAt(m, 'name') ?? '',
        control: 'propertyPicker',
        target: stringAt(m, 'name') ?? '',
        required: isObject(m) && m.required === true,
        path: ['userPropertyMappings', i],
      });
    });
    model.streaming = { propertiesToSend: true };
  } else if (kind === 'event-ingestion') {
    const setup = objectAt(value, 'setup');
    model.source = {
      subtitle: stringAt(setup, 'subtitle') ?? '',
      steps: (arrayAt(setup, 'steps') ?? []).map((s, i) => ({
        text: stringAt(s, 'text') ?? '',
        image: stringAt(s, 'image'),
        showProjectApiKey: isObject(s) && s.showProjectApiKey === true,
        path: ['setup', 'steps', i],
      })),
      additionalResources: stringAt(setup, 'additionalResources'),
    };
  }
  if (kind === 'cohort-list' || kind === 'cohort-property' || kind === 'event-streaming')
    model.variables = analysis.variables();
  return model;
}

/** The image references a preview shows (logo, step images), for the caller to resolve under the file rules. */
export function previewImages(analysis: ManifestAnalysis): string[] {
  const value = analysis.doc.value;
  const refs = [stringAt(objectAt(value, 'connection'), 'logo')];
  for (const step of arrayAt(objectAt(value, 'setup'), 'steps') ?? []) refs.push(stringAt(step, 'image'));
  return refs.filter((r): r is string => typeof r === 'string' && r !== '');
}
