import type { ManifestAnalysis } from '../analysis';
import { objectAt, stringAt } from '../base/value';
import type { CohortModel, FieldOption } from '../manifest/cohort';
import type { IngestionModel } from '../manifest/ingestion';
import { ENDPOINT_TITLES, type ConnectionModel, type EndpointModel, type ManifestModel } from '../manifest/model';
import { streamingRequest, type StreamingModel } from '../manifest/streaming';
import { itemTemplateOf } from '../manifest/portalText';
import { AUTH_VARIABLES } from '../manifest/variables';
import { toPortalText } from './syntax';

/** One field of the portal's form, with what to type or paste into it. */
export interface PortalField {
  /** Stable across edits of other fields: the checkbox state hangs off it. */
  id: string;
  label: string;
  value: string;
  /** Pasted into a code editor (payloads, templates): shown as a block. */
  code?: boolean;
  note?: string;
}

export interface PortalSection {
  title: string;
  fields: PortalField[];
}

/** Everything to enter in the portal, section by section, in the order of its form. */
export interface PortalSheet {
  displayName: string;
  kind: string;
  version: string;
  sections: PortalSection[];
}

const KIND_NAMES: Record<string, string> = {
  'cohort-list': 'Cohort sync, list-based',
  'cohort-property': 'Cohort sync, property-based',
  'event-streaming': 'Event streaming destination',
  'event-ingestion': 'Event ingestion source',
};

const AUTH_NAMES: Record<string, string> = {
  none: 'None',
  basic: 'Basic (API key and secret)',
  header: 'Authentication header (API key)',
  bearer: 'Bearer token',
};

const LIST_ID_NOTE = 'Quoted, $list_id arrives as text. If your API wants a number there, remove the quotes.';

class SheetBuilder {
  readonly sections: PortalSection[] = [];

  section(title: string, idPrefix: string, rows: [string, unknown, Partial<PortalField>?][]): void {
    const fields = rows.flatMap(([label, value, extra]) => {
      if (value === undefined || value === null || value === '') return [];
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return [{ id: `${idPrefix}.${label}`, label, value: text, ...extra }];
    });
    if (fields.length > 0) this.sections.push({ title, fields });
  }
}

function connection(b: SheetBuilder, c: ConnectionModel, kind: string, version: string): void {
  b.section('Connection info', 'connection', [
    ['Display name', c.displayName],
    ['Category', c.category],
    ['Summary', c.summary],
    ['Full description', c.description],
    ['Logo (PNG file to upload)', c.logo],
    ['Integration version', version],
  ]);
  b.section('Integration type', 'type', [['Type', KIND_NAMES[kind] ?? kind]]);
}

/** One option a line: `label = value`, or the value alone where the customer sees it as it is. */
function optionsText(options: readonly FieldOption[]): string | undefined {
  if (options.length === 0) return undefined;
  return options.map((o) => (o.label === o.value ? o.value : `${o.label} = ${o.value}`)).join('\n');
}

/** Authentication is shown as written (an unknown method by its own name); the fields from the model. */
function cohortSetup(b: SheetBuilder, value: unknown, cohort: CohortModel): void {
  const auth = objectAt(value, 'authentication');
  const method = stringAt(auth, 'method') ?? 'none';
  const names =
    (AUTH_VARIABLES as Record<string, { displayNameKey: string; defaultDisplayName: string }[]>)[method] ?? [];
  b.section('Authentication', 'auth', [
    ['Method', AUTH_NAMES[method] ?? method],
    ...names.map((v): [string, unknown] => [
      `Display name of ${v.defaultDisplayName}`,
      stringAt(auth, v.displayNameKey) ?? v.defaultDisplayName,
    ]),
  ]);
  cohort.customFields.forEach((f, i) => {
    b.section(`Custom field ${i + 1}`, `customFields.${f.variable}`, [
      ['Variable name', f.variable],
      ['Display name', f.displayName],
      ['Type', f.type ?? 'string'],
      ['Options (label = value)', optionsText(f.options), { code: true }],
      ['Default', f.default],
      ['Description', f.description],
      ['Secret', f.secret ? 'yes' : undefined],
    ]);
  });
  cohort.mappingFields.forEach((f, i) => {
    b.section(`Mapping field ${i + 1}`, `mappingFields.${f.variable}`, [
      ['Mapping field display name', f.label],
      ['Amplitude mapping field variable', f.variable],
      ['Display name', f.displayName],
      ['Type', f.type ?? 'string'],
      ['Options (label = value)', optionsText(f.options), { code: true }],
    ]);
  });
  b.section('Additional headers', 'headers', Object.entries(cohort.headers));
  b.section('Slugify', 'slugify', [['Slugify Amplitude cohort name', cohort.slugifyCohortName ? 'on' : 'off']]);
}

function payloadOf(endpoint: EndpointModel): string | undefined {
  if (endpoint.payloadText !== undefined) return endpoint.payloadText;
  return endpoint.payload === undefined ? undefined : toPortalText(endpoint.payload);
}

function itemTemplate(endpoint: EndpointModel): string | undefined {
  if (endpoint.itemTemplateText !== undefined) return endpoint.itemTemplateText;
  if (endpoint.itemTemplate === undefined && endpoint.payload === undefined && endpoint.payloadText === undefined)
    return undefined;
  return toPortalText(itemTemplateOf(endpoint), 0);
}

function endpointSection(b: SheetBuilder, endpoint: EndpointModel): void {
  const { name } = endpoint;
  const payload = payloadOf(endpoint);
  const usesListId = /\$(list_id|listId|list_Id)\b/.test(payload ?? '');
  b.section(ENDPOINT_TITLES[name], `endpoints.${name}`, [
    ['URL', endpoint.url],
    ['Method', endpoint.method],
    ['Payload', payload, { code: true, note: usesListId ? LIST_ID_NOTE : undefined }],
    ['Path to list ID in the response', name === 'listCreation' ? (endpoint.listIdPath ?? 'listId') : undefined],
    ['Batch size', endpoint.batchSize === undefined ? undefined : String(endpoint.batchSize)],
    [
      'Array of items that replaces $items',
      name === 'listCreation' ? undefined : itemTemplate(endpoint),
      { code: true },
    ],
    ['Copy errors from', typeof endpoint.copyErrorsFrom === 'string' ? endpoint.copyErrorsFrom : undefined],
  ]);
  endpoint.errors.forEach((row, i) => {
    b.section(`${ENDPOINT_TITLES[name]}: error ${i + 1}`, `endpoints.${name}.errors.${i}`, [
      ['Status code', row.status],
      ['Sub error code', row.hasSubErrorCode ? JSON.stringify(row.subErrorCode) : undefined, { code: true }],
      ['Failure reason', row.failureReason],
      ['Error message', row.message],
    ]);
  });
}

function streamingSetup(b: SheetBuilder, streaming: StreamingModel, template: string | undefined): void {
  streaming.parameters.forEach((p, i) => {
    b.section(`Parameter ${i + 1}`, `parameters.${p.name}`, [
      ['Display name', p.displayName],
      ['Parameter name', p.name],
      ['Secret', p.secret ? 'yes' : undefined],
    ]);
  });
  streaming.userPropertyMappings.forEach((m, i) => {
    b.section(`User property mapping ${i + 1}`, `userPropertyMappings.${m.name}`, [
      ['Destination property name', m.name],
      ['Required', m.required ? 'yes' : 'no'],
    ]);
  });
  const request = streamingRequest(streaming, 'events');
  const headers = Object.entries(request?.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  b.section('Request', 'request', [
    ['URL', request?.url],
    ['Method', request?.method],
    ['Headers', headers.join('\n'), { code: true }],
    [
      'Event body template',
      template,
      { code: true, note: template ? undefined : 'The template file could not be read.' },
    ],
  ]);
}

function sourceSetup(b: SheetBuilder, { partnerId, setup }: IngestionModel): void {
  b.section('Source', 'source', [
    ['Partner ID', partnerId],
    ['Subtitle', setup?.subtitle],
    ['Additional resources (Markdown)', setup?.additionalResources, { code: true }],
  ]);
  setup?.steps.forEach((s, i) => {
    b.section(`Setup step ${i + 1}`, `setup.steps.${i}`, [
      ['Text', s.text],
      ['Image (file to upload)', s.image],
      ['Show the project API key', s.showProjectApiKey ? 'yes' : undefined],
    ]);
  });
}

/** What to type into the portal's test instance: every declared value, secrets left to the person. */
function testValues(b: SheetBuilder, analysis: ManifestAnalysis, values: Record<string, string>): void {
  const rows = analysis.model.declarations.map((d): [string, unknown, Partial<PortalField>] => {
    const name = d.source === 'parameter' ? `parameters.${d.name}` : `$${d.name}`;
    const secret = d.source === 'authentication' || secretField(analysis.model, d.name);
    if (secret) return [`${d.displayName} (${name})`, '(a secret: type it in the portal yourself)', {}];
    return [`${d.displayName} (${name})`, Object.hasOwn(values, d.name) ? values[d.name] : '(your test value)', {}];
  });
  b.section("Values for the portal's test", 'test', rows);
}

function secretField(model: ManifestModel, name: string): boolean {
  return (
    model.cohort.customFields.some((f) => f.variable === name && f.secret) ||
    model.streaming.parameters.some((p) => p.name === name && p.secret)
  );
}

/** The portal's form, filled from the manifest: every field in the form's order. */
export function portalSheet(
  analysis: ManifestAnalysis,
  bodyTemplate?: string,
  values: Record<string, string> = {},
): PortalSheet {
  const { model } = analysis;
  const value = analysis.doc.value;
  const kind = model.kind ?? stringAt(value, 'kind') ?? 'unknown';
  const version = model.version ?? '';
  const b = new SheetBuilder();
  connection(b, model.connection, kind, version);
  if (kind === 'cohort-list' || kind === 'cohort-property') {
    cohortSetup(b, value, model.cohort);
    for (const endpoint of analysis.model.endpoints) endpointSection(b, endpoint);
  } else if (kind === 'event-streaming') streamingSetup(b, model.streaming, bodyTemplate);
  else if (kind === 'event-ingestion') sourceSetup(b, model.ingestion);
  if (kind !== 'event-ingestion') testValues(b, analysis, values);
  const displayName = model.connection.displayName ?? '(no display name)';
  return { displayName, kind, version, sections: b.sections };
}
