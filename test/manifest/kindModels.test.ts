import * as assert from 'node:assert/strict';
import { analyzeAs, mutate, readExample } from '../helpers/manifests';
import { bodyTemplateReference, streamingRoles } from '../../server/src/manifest/streaming';

/** The typed model of each kind, read once from the examples (what every feature reads instead of the JSON). */
describe('manifest model: every kind typed', () => {
  it('reads an event streaming manifest: requests, parameters, user property mappings, limits', () => {
    const withIdentify = mutate(
      readExample('streaming'),
      '"userPropertyMappings"',
      '"limits": { "maxBodyBytes": 2048, "rateLimitPerMinute": 0 },\n' +
        '  "identify": { "url": "https://x.example/identify", "method": "PUT", "headers": { "n": 1 }, ' +
        '"bodyTemplate": "identify.ftl" },\n  "userPropertyMappings"',
    );
    const { streaming } = analyzeAs('streaming', withIdentify).model;
    assert.deepEqual(streamingRoles(streaming), ['events', 'identify']);
    const [events, identify] = streaming.requests;
    assert.equal(events.url, 'https://${parameters.region}.beacon.example/v1/track');
    assert.equal(events.method, 'POST');
    assert.deepEqual(events.headers, {
      Authorization: 'Bearer ${parameters.api_key}',
      'Content-Type': 'application/json',
    });
    assert.equal(bodyTemplateReference(streaming), 'body.ftl');
    assert.equal(bodyTemplateReference(streaming, 'identify'), 'identify.ftl');
    assert.deepEqual(identify.headers, {}, 'a header that is not text is not sent');
    assert.deepEqual(
      streaming.parameters.map((p) => [p.name, p.secret, p.path]),
      [
        ['region', false, ['parameters', 0]],
        ['api_key', true, ['parameters', 1]],
        ['app_id', false, ['parameters', 2]],
      ],
    );
    assert.deepEqual(streaming.userPropertyMappings, [
      { name: 'external_id', required: true, path: ['userPropertyMappings', 0] },
      { name: 'email', required: false, path: ['userPropertyMappings', 1] },
    ]);
    assert.equal(streaming.limits.maxBodyBytes, 2048);
    assert.equal(streaming.limits.rateLimitPerMinute, undefined, 'a limit of 0 is no limit');
  });

  it('reads an event ingestion source: partner id and setup steps', () => {
    const { ingestion, streaming } = analyzeAs('ingestion', readExample('ingestion')).model;
    assert.equal(ingestion.partnerId, 'relay');
    assert.equal(ingestion.setup?.steps.length, 6);
    assert.deepEqual(ingestion.setup?.steps[1], {
      text: 'Copy your Amplitude project API key below.',
      image: undefined,
      showProjectApiKey: true,
    });
    assert.match(ingestion.setup?.additionalResources ?? '', /Relay help center/);
    assert.deepEqual(streaming.requests, [], 'no streaming request in a source');
  });

  it('types cohort endpoints and the cohort parts', () => {
    const { model } = analyzeAs('list', readExample('list'));
    const creation = model.endpoints.find((e) => e.name === 'listCreation');
    assert.equal(creation?.url, 'https://api.$region.pushwave.example/v2/audiences');
    assert.equal(creation?.method, 'POST');
    assert.equal(creation?.listIdPath, 'audience.id');
    assert.deepEqual(creation?.errors[2].subErrorCode, { error_code: 1001 });
    assert.equal(creation?.errors[2].failureReason, 'Audience limit reached');
    assert.equal(model.cohort.slugifyCohortName, true);
    assert.deepEqual(model.cohort.headers, {
      'Content-Type': 'application/json',
      'X-Pushwave-Workspace': '$workspace_id',
    });
    const region = model.cohort.customFields.find((f) => f.variable === 'region');
    assert.deepEqual(region?.options, [
      { label: 'US', value: 'us' },
      { label: 'EU', value: 'eu' },
    ]);
    assert.equal(region?.default, 'us');
    const workspace = model.cohort.customFields[0];
    assert.deepEqual(
      [workspace.variable, workspace.description, workspace.path],
      ['workspace_id', 'Settings > Workspace in Pushwave.', ['customFields', 0]],
    );
    assert.deepEqual(model.cohort.mappingFields, [
      {
        variable: 'user_id_field_amplitude',
        label: 'User ID Mapping',
        displayName: 'Pushwave External ID',
        type: 'string',
        options: [],
        path: ['mappingFields', 0],
      },
    ]);
  });
});
