import type { ManifestKind } from './manifest/model';
import { slugify } from './manifest/variables';

export interface ScaffoldFile {
  name: string;
  content: string | Uint8Array;
}

/** A 64x64 placeholder logo: a valid PNG, so a new manifest starts with zero errors. */
const PLACEHOLDER_LOGO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJAAAAUElEQVR42u3PQQkAAAgEsEtiN/t/jGAE38JgBZbqeS0CAgICAgICAgICAgICAgI' +
    'CAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICApcFfd/xS8t/NV4AAAAASUVORK5CYII=',
  'base64',
);

const COMMON_ERRORS = [
  {
    status: 400,
    failureReason: 'Invalid request',
    message: 'The request was malformed. Check the mapped user ids, then retry the sync.',
  },
  {
    status: 401,
    failureReason: 'Unauthorized (bad API key)',
    message: 'The API key was rejected. Enter a valid key in the destination settings.',
  },
  {
    status: 429,
    failureReason: 'Throttling / rate limiting',
    message: 'Too many requests. Amplitude retries automatically.',
  },
];

const BODY_TEMPLATE = `<#-- The body of each forwarded event. Escape text with ?json_string, keep numbers plain
     (the setting below), and give every field Amplitude does not guarantee a default: see the README. -->
<#setting number_format="computer">
{
  "events": [
    {
      "external_id": "\${(mappedFields.external_id!input.user_id!input.device_id!"")?json_string}",
      "name": "\${input.event_type?json_string}",
      "time": "\${input.event_time?json_string}",
      "api_key": "\${parameters.api_key?json_string}",
      "properties": {
        <#list mappedProperties?keys?filter(key -> mappedProperties[key]?has_content) as key>
        "\${key?json_string}": \${mappedProperties[key]}<#sep>,</#sep>
        </#list>
      }
    }
  ]
}
`;

const USER_ID_MAPPING = {
  variable: 'user_id_field_amplitude',
  label: 'User ID Mapping',
  displayName: 'User ID',
  type: 'string',
};

function membershipEndpoint(host: string, action: 'add' | 'remove') {
  return {
    url: `https://${host}/lists/$list_id/${action}`,
    method: 'POST',
    payload: { userIds: '$items' },
    batchSize: 10000,
    itemTemplate: '$user_id_field_amplitude',
    copyErrorsFrom: 'listCreation',
  };
}

/** The kind's own parts of the manifest, and its extra files. */
const KIND_PARTS: Record<ManifestKind, (host: string, slug: string, displayName: string) => Record<string, unknown>> = {
  'cohort-list': (host) => ({
    authentication: { method: 'bearer' },
    mappingFields: [USER_ID_MAPPING],
    endpoints: {
      listCreation: {
        url: `https://${host}/lists`,
        method: 'POST',
        payload: { name: '$amp_cohort_name', source: 'amplitude' },
        listIdPath: 'listId',
        errors: COMMON_ERRORS,
      },
      addUsers: membershipEndpoint(host, 'add'),
      removeUsers: membershipEndpoint(host, 'remove'),
    },
  }),
  'cohort-property': (host) => ({
    authentication: { method: 'basic' },
    mappingFields: [USER_ID_MAPPING],
    endpoints: {
      update: {
        url: `https://${host}/users/properties`,
        method: 'PATCH',
        payload: { property: '$amp_cohort_name', value: '$amp_cohort_membership', users: '$items' },
        batchSize: 10000,
        itemTemplate: '$user_id_field_amplitude',
        errors: COMMON_ERRORS,
      },
    },
  }),
  'event-streaming': (host, slug) => ({
    parameters: [{ name: 'api_key', displayName: 'REST API Key', secret: true }],
    userPropertyMappings: [{ name: 'external_id', required: true }],
    request: {
      url: `https://${host}/v1/events`,
      method: 'POST',
      headers: { Authorization: 'Bearer ${parameters.api_key}', 'Content-Type': 'application/json' },
      bodyTemplate: `${slug}-body.ftl`,
    },
  }),
  'event-ingestion': (_host, slug, displayName) => ({
    partnerId: slug,
    setup: {
      subtitle: `If you use ${displayName}, you can send its events to Amplitude in a few steps.`,
      steps: [
        { text: `In ${displayName}, open Settings > Integrations and select Amplitude.` },
        { text: 'Copy your Amplitude project API key.', showProjectApiKey: true },
        { text: `Paste the API key into ${displayName}.` },
        { text: 'Choose the events to send.' },
        { text: 'Save. Events appear in Amplitude within a few minutes.' },
      ],
      additionalResources: `See the ${displayName} documentation for the events it sends.`,
    },
  }),
};

/** A working starting point for each kind: the parts the kind requires, zero errors, ready to edit. */
export function scaffoldIntegration(
  kind: ManifestKind,
  displayName: string,
): { manifest: string; files: ScaffoldFile[] } {
  const slug =
    slugify(displayName)
      .toLowerCase()
      .replace(/^-+|-+$/g, '') || 'integration';
  const host = `api.${slug}.example`;
  const manifest: Record<string, unknown> = {
    $schema: 'https://amplitude-integrations.local/schemas/integration-manifest.schema.json',
    kind,
    version: '1.0.0',
    connection: {
      displayName,
      category: 'Messaging',
      summary: `Connect Amplitude with ${displayName}.`,
      description: `Describe what ${displayName} does with Amplitude data, and two or three use cases.`,
      logo: `${slug}-logo.png`,
    },
    ...KIND_PARTS[kind](host, slug, displayName),
  };
  const files: ScaffoldFile[] = [{ name: `${slug}-logo.png`, content: PLACEHOLDER_LOGO }];
  if (kind === 'event-streaming') files.push({ name: `${slug}-body.ftl`, content: BODY_TEMPLATE });
  const header = `// ${displayName}: ${kind} integration. Hover any key for what the portal does with it.`;
  return { manifest: `${header}\n${JSON.stringify(manifest, null, 2)}\n`, files };
}
