import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import { parseApiDescription, type ApiDescription } from '../../server/src/contract/description';
import { importOperation, type OperationImport } from '../../server/src/contract/importOperation';

/**
 * importOperation in process, on descriptions of streaming APIs written here: Customer.io's Track API (the user in
 * the path, HTTP Basic; modelled on https://customer.io/docs/api/track/) and Google Analytics 4's Measurement
 * Protocol (the key and a required parameter in the query; modelled on
 * https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference).
 */

const CUSTOMER_IO = `
openapi: 3.0.3
info: { title: Customer.io Track API (subset), version: '1.0' }
servers:
  - url: https://track.customer.io
  - url: https://track-eu.customer.io
security: [{ basicAuth: [] }]
paths:
  /api/v1/customers/{identifier}/events:
    post:
      operationId: track
      summary: Track a customer event
      parameters:
        - { name: identifier, in: path, required: true, schema: { type: string } }
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: { type: string, description: The name of the event. }
                id: { type: string, description: A ULID to de-duplicate the event. }
                timestamp: { type: integer, description: When the event happened, in Unix seconds. }
                data: { type: object, additionalProperties: true }
      responses: { '200': { description: OK } }
components:
  securitySchemes:
    basicAuth: { type: http, scheme: basic }
`;

const GA4 = `
openapi: 3.1.0
info: { title: GA4 Measurement Protocol (subset), version: '1' }
servers: [{ url: https://www.google-analytics.com }]
security: [{ apiSecret: [] }]
paths:
  /mp/collect:
    post:
      operationId: collect
      parameters:
        - { name: measurement_id, in: query, required: true, schema: { type: string } }
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [client_id, events]
              properties:
                client_id: { type: string }
                user_id: { type: string }
                events:
                  type: array
                  maxItems: 25
                  items:
                    type: object
                    required: [name]
                    properties:
                      name: { type: string }
                      params: { type: object, additionalProperties: true }
      responses: { '204': { description: No Content } }
components:
  securitySchemes:
    apiSecret: { type: apiKey, in: query, name: api_secret }
`;

async function described(text: string, name: string): Promise<ApiDescription> {
  const load = await parseApiDescription(text, path.join(os.tmpdir(), name), os.tmpdir());
  assert.ok(load.description, JSON.stringify(load.problems));
  return load.description;
}

function imported(result: OperationImport | { problem: string }): OperationImport {
  assert.ok(!('problem' in result), 'problem' in result ? result.problem : '');
  return result;
}

const streamingManifest = (parameters: string[]) =>
  JSON.stringify({ kind: 'event-streaming', parameters: parameters.map((name) => ({ name, displayName: name })) });

describe('importOperation: streaming requests from a description', () => {
  it('Customer.io: the user in the path, the event name from the event, Basic said to be out of reach', async () => {
    const description = await described(CUSTOMER_IO, 'customerio.yaml');
    const result = imported(importOperation(description, 'track', { manifest: streamingManifest(['site_id']) }));
    assert.strictEqual(result.role, 'events');
    assert.deepStrictEqual(result.fragment.request, {
      url: 'https://track.customer.io/api/v1/customers/${(input.user_id!input.device_id!"")?url}/events',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      bodyTemplate: 'track.ftl',
    });
    assert.ok(result.template);
    assert.match(result.template.text, /"name": "\$\{input\.event_type\?json_string\}"/);
    assert.match(result.template.text, /"id": "\$\{\(input\["\$insert_id"\]!input\.uuid!""\)\?json_string\}"/);
    assert.match(result.template.text, /<#list mappedProperties\?keys/);
    const notes = result.notes.join('\n');
    assert.match(notes, /The path's \{identifier\} is the user/);
    assert.match(notes, /The API wants HTTP Basic: a template cannot encode it/);
    assert.match(notes, /The description lists 2 servers/);
    assert.match(notes, /"timestamp" is a number: .* does not say which unit/);
  });

  it('GA4: the key and a required parameter in the query, from declared parameters', async () => {
    const description = await described(GA4, 'ga4.yaml');
    const manifest = streamingManifest(['measurement_id', 'api_secret']);
    const result = imported(importOperation(description, 'POST /mp/collect', { manifest }));
    const request = result.fragment.request as { url: string };
    assert.strictEqual(
      request.url,
      'https://www.google-analytics.com/mp/collect?measurement_id=${parameters.measurement_id}' +
        '&api_secret=${parameters.api_secret}',
    );
    assert.match(result.template?.text ?? '', /"events": \[\n\s+\{\n\s+"name": "\$\{input\.event_type\?json_string\}"/);
    assert.match(result.notes.join('\n'), /Fill in, in collect\.ftl: client_id\./);
  });

  it('a list-based manifest without --role, or an operation the description lacks, is a problem, not a guess', async () => {
    const description = await described(GA4, 'ga4.yaml');
    const noRole = importOperation(description, 'collect', { manifest: JSON.stringify({ kind: 'cohort-list' }) });
    assert.match('problem' in noRole ? noRole.problem : '', /Say which endpoint this operation is with --role/);
    const missing = importOperation(description, 'GET /mp/collect', { role: 'events' });
    assert.match(
      'problem' in missing ? missing.problem : '',
      /has no operation "GET \/mp\/collect"\. It has: collect\./,
    );
  });
});
