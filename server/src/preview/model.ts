import { renderMarkdown } from './markdown';
import type { JSONPath } from 'jsonc-parser';
import type { ManifestAnalysis } from '../analysis';
import { AUTH_VARIABLES } from '../manifest/variables';
import { stringAt } from '../base/value';
import type { VariablesTable } from '../manifest/variablesTable';
import type { CustomField } from '../manifest/cohort';
import type { IngestionModel } from '../manifest/ingestion';
import type { StreamingModel } from '../manifest/streaming';

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
  source?: { subtitle: string; steps: PreviewStep[]; additionalResources?: string; additionalResourcesHtml?: string };
  slugify: boolean;
  variables?: VariablesTable;
  problems: { message: string; severity: string }[];
}

function controlOf(field: CustomField): PreviewField['control'] {
  if (field.type === 'singleSelect') return 'select';
  if (field.type === 'buttonGroup') return 'buttonGroup';
  return field.secret ? 'password' : 'text';
}

/** A cohort sync's modal: the authentication fields, the custom fields, then the mapping fields. */
function addCohortFields({ model: manifest }: ManifestAnalysis, model: PreviewModel): void {
  const method = manifest.authMethod;
  const authLabel = (name: string) =>
    manifest.declarations.find((d) => d.source === 'authentication' && d.name === name)?.displayName;
  for (const variable of method ? AUTH_VARIABLES[method] : []) {
    model.fields.push({
      label: authLabel(variable.name) ?? variable.defaultDisplayName,
      control: 'password',
      optional: variable.name === 'api_secret',
      path: ['authentication', variable.displayNameKey],
    });
  }
  for (const f of manifest.cohort.customFields) {
    model.fields.push({
      label: f.displayName ?? f.variable,
      control: controlOf(f),
      options: [...f.options],
      defaultValue: f.default,
      description: f.description,
      path: f.path,
    });
  }
  for (const f of manifest.cohort.mappingFields) {
    model.mappings.push({
      label: f.label ?? 'Key',
      control: 'propertyPicker',
      target: f.displayName ?? f.variable,
      options: [...f.options],
      path: f.path,
    });
  }
}

/** An event streaming destination's modal: the parameters, the user property mappings, properties to send. */
function addStreamingFields(streaming: StreamingModel, model: PreviewModel): void {
  for (const p of streaming.parameters)
    model.fields.push({ label: p.displayName ?? p.name, control: p.secret ? 'password' : 'text', path: p.path });
  for (const m of streaming.userPropertyMappings)
    model.mappings.push({
      label: m.name,
      control: 'propertyPicker',
      target: m.name,
      required: m.required,
      path: m.path,
    });
  model.streaming = { propertiesToSend: true };
}

/** An event ingestion source's setup page. */
function sourceOf({ setup }: IngestionModel): PreviewModel['source'] {
  const additionalResources = setup?.additionalResources;
  return {
    subtitle: setup?.subtitle ?? '',
    steps: (setup?.steps ?? []).map((s, i) => ({
      text: s.text ?? '',
      image: s.image,
      showProjectApiKey: s.showProjectApiKey,
      path: ['setup', 'steps', i],
    })),
    additionalResources,
    additionalResourcesHtml: additionalResources ? renderMarkdown(additionalResources) : undefined,
  };
}

export function previewModel(analysis: ManifestAnalysis): PreviewModel {
  const { connection } = analysis.model;
  const kind = analysis.model.kind ?? stringAt(analysis.doc.value, 'kind') ?? 'unknown';
  const model: PreviewModel = {
    kind,
    displayName: connection.displayName ?? '(no display name)',
    category: connection.category,
    summary: connection.summary,
    logo: connection.logo,
    fields: [],
    mappings: [],
    slugify: analysis.model.cohort.slugifyCohortName,
    problems: analysis.diagnostics
      .filter((d) => d.severity === 'error' || d.severity === 'warning')
      .map((d) => ({ message: d.message, severity: d.severity })),
  };
  if (kind === 'cohort-list' || kind === 'cohort-property') addCohortFields(analysis, model);
  else if (kind === 'event-streaming') addStreamingFields(analysis.model.streaming, model);
  else if (kind === 'event-ingestion') model.source = sourceOf(analysis.model.ingestion);
  if (kind === 'cohort-list' || kind === 'cohort-property' || kind === 'event-streaming')
    model.variables = analysis.variables();
  return model;
}

/** The image references a preview shows (logo, step images), for the caller to resolve under the file rules. */
export function previewImages(analysis: ManifestAnalysis): string[] {
  const { connection, ingestion } = analysis.model;
  const refs = [connection.logo, ...(ingestion.setup?.steps ?? []).map((step) => step.image)];
  return refs.filter((r): r is string => typeof r === 'string' && r !== '');
}
