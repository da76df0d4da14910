import { removeAt } from '../../base/jsonEdits';
import type { ManifestKind } from '../../manifest/model';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

const COMMON = ['$schema', 'kind', 'version', 'connection'];
const COHORT = [
  ...COMMON,
  'authentication',
  'customFields',
  'mappingFields',
  'headers',
  'slugifyCohortName',
  'endpoints',
  'apiDescription',
];

/** Which top-level fields the portal's form has for each kind. */
export const FIELDS_BY_KIND: Record<ManifestKind, readonly string[]> = {
  'event-ingestion': [...COMMON, 'setup', 'partnerId'],
  'cohort-list': COHORT,
  'cohort-property': COHORT,
  'event-streaming': [
    ...COMMON,
    'parameters',
    'userPropertyMappings',
    'request',
    'identify',
    'limits',
    'apiDescription',
  ],
};

export const ENDPOINTS_BY_KIND: Partial<Record<ManifestKind, readonly string[]>> = {
  'cohort-list': ['listCreation', 'addUsers', 'removeUsers'],
  'cohort-property': ['update'],
};

/** Endpoint fields that only some endpoints have. */
const ENDPOINT_FIELD_OWNERS: Record<string, readonly string[]> = {
  listIdPath: ['listCreation'],
  batchSize: ['addUsers', 'removeUsers', 'update'],
  itemTemplate: ['addUsers', 'removeUsers', 'update'],
};

const KIND_LABEL: Record<ManifestKind, string> = {
  'event-ingestion': 'an event ingestion source',
  'cohort-list': 'a list-based cohort sync',
  'cohort-property': 'a property-based cohort sync',
  'event-streaming': 'an event streaming destination',
};

export const kindFieldsCheck: ManifestCheck = {
  codes: ['field-not-for-kind'],
  run: ({ doc, model }) => {
    const kind = model.kind;
    if (!kind) return [];
    const out: ManifestDiagnostic[] = [];
    const report = (path: string[], message: string) =>
      out.push({
        ...doc.keySpanAt(path),
        code: 'field-not-for-kind',
        severity: 'warning',
        message,
        fixes: [{ title: `Remove "${path[path.length - 1]}"`, edits: () => removeAt(doc.text, path) }],
      });
    const allowed = FIELDS_BY_KIND[kind];
    const known = new Set(Object.values(FIELDS_BY_KIND).flat());
    for (const name of model.topLevelKeys) {
      if (allowed.includes(name) || !known.has(name)) continue;
      report(
        [name],
        `"${name}" does not belong in ${KIND_LABEL[kind]}: the portal has no such field for this kind, so ` +
          `it would be lost.`,
      );
    }
    const endpointNames = ENDPOINTS_BY_KIND[kind];
    for (const endpoint of model.endpoints) {
      if (endpointNames && !endpointNames.includes(endpoint.name)) {
        report(
          ['endpoints', endpoint.name],
          `${KIND_LABEL[kind][0].toUpperCase()}${KIND_LABEL[kind].slice(1)} has no "${endpoint.name}" ` +
            `endpoint; its endpoints are ${endpointNames.map((n) => `"${n}"`).join(', ')}.`,
        );
        continue;
      }
      for (const key of Object.keys(endpoint.value)) {
        const owners = ENDPOINT_FIELD_OWNERS[key];
        if (owners && !owners.includes(endpoint.name))
          report(
            ['endpoints', endpoint.name, key],
            `"${key}" belongs to ${owners.map((o) => `"${o}"`).join(', ')}, not to "${endpoint.name}".`,
          );
      }
    }
    return out;
  },
};
