import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeManifest } from '../../server/src/analysis';
import { contractDiagnostics } from '../../server/src/contract';
import { loadApiDescription, parseApiDescription } from '../../server/src/contract/description';
import { matchOperation, operationName } from '../../server/src/contract/operations';
import { portalMarkdown } from '../../server/src/portal/render';
import { portalSheet } from '../../server/src/portal/sheet';

import { CONTRACT_FIXTURES } from './helpers';

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'contract-'));
}

describe('API descriptions', () => {
  it('broken YAML: a problem naming the line, no description, no throw', async () => {
    const root = tempRoot();
    const file = path.join(root, 'api.yaml');
    fs.writeFileSync(file, 'openapi: 3.0.3\ninfo:\n  title: "unterminated\npaths: {}\n');
    const loaded = await loadApiDescription(file, root);
    assert.strictEqual(loaded.description, undefined);
    assert.strictEqual(loaded.problems.length, 1);
    assert.match(loaded.problems[0].message, /api\.yaml is not valid YAML or JSON at line \d+/);
  });

  it('a missing file: says where it looked', async () => {
    const root = tempRoot();
    const loaded = await loadApiDescription(path.join(root, 'nope.yaml'), root);
    assert.strictEqual(loaded.description, undefined);
    assert.match(loaded.problems[0].message, /^The API description does not exist \(looked for .*nope\.yaml\)/);
  });

  it('a $ref to a file outside the root is refused and that file is never read', async () => {
    const outside = tempRoot();
    const secret = path.join(outside, 'secret.yaml');
    fs.writeFileSync(secret, 'type: object\n');
    const root = tempRoot();
    const file = path.join(root, 'api.yaml');
    const spec = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/a': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: secret } } } },
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    };
    fs.writeFileSync(file, JSON.stringify(spec));
    const loaded = await loadApiDescription(file, root);
    assert.strictEqual(loaded.description, undefined);
    assert.match(loaded.problems[0].message, /refers to .*secret\.yaml, outside the workspace/);
  });

  it('an http $ref is not fetched', async () => {
    const root = tempRoot();
    const text = JSON.stringify({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: { '/a': { get: { responses: { '200': { $ref: 'http://127.0.0.1:9/never.yaml' } } } } },
    });
    const loaded = await parseApiDescription(text, path.join(root, 'api.json'), root);
    assert.strictEqual(loaded.description, undefined);
    assert.ok(loaded.problems.length > 0);
  });

  it('Swagger 2.0 (Mailchimp-like): body parameter, securityDefinitions and host+basePath normalised', async () => {
    const file = path.join(CONTRACT_FIXTURES, 'mailchimp', 'swagger.json');
    const { description, problems } = await loadApiDescription(file, CONTRACT_FIXTURES);
    assert.deepStrictEqual(problems, []);
    assert.ok(description);
    assert.strictEqual(description.format, 'swagger-2.0');
    const batch = description.operations.find((o) => o.operationId === 'postListsIdSegmentsId');
    assert.ok(batch);
    assert.deepStrictEqual(batch.servers, ['https://server.api.mailchimp.com/3.0']);
    assert.deepStrictEqual(batch.security, [[{ type: 'http', scheme: 'basic', id: 'basicAuth' }]]);
    assert.strictEqual(batch.requestBody?.contentType, 'application/json');
    assert.strictEqual(batch.requestBody?.required, true);
    const schema = batch.requestBody?.schema as { properties: { members_to_add: { maxItems: number } } };
    assert.strictEqual(schema.properties.members_to_add.maxItems, 500);
    assert.deepStrictEqual(
      batch.parameters.map((p) => [p.name, p.in, p.required]),
      [
        ['list_id', 'path', true],
        ['segment_id', 'path', true],
      ],
    );
    const create = description.operations.find((o) => o.operationId === 'postListsIdSegments');
    const ok = create?.responses.find((r) => r.status === '200');
    assert.deepStrictEqual((ok?.schema as { properties: { id: unknown } }).properties.id, {
      type: 'integer',
      description: 'The unique id for the segment.',
    });
  });

  it('OpenAPI 3.1 (Klaviyo-like): $refs inside the root and to a sibling file dereferenced', async () => {
    const file = path.join(CONTRACT_FIXTURES, 'klaviyo', 'openapi.yaml');
    const { description, problems } = await loadApiDescription(file, CONTRACT_FIXTURES);
    assert.deepStrictEqual(problems, []);
    assert.ok(description);
    assert.strictEqual(description.format, 'openapi-3.1');
    assert.strictEqual(description.title, 'Klaviyo-like Lists API');
    const add = description.operations.find((o) => o.operationId === 'add_profiles_to_list');
    assert.ok(add);
    const data = (add.requestBody?.schema as { properties: { data: { maxItems: number } } }).properties.data;
    assert.strictEqual(data.maxItems, 1000);
    assert.deepStrictEqual(
      add.parameters.map((p) => [p.name, p.in, p.required]),
      [
        ['id', 'path', true],
        ['revision', 'header', true],
      ],
    );
    assert.deepStrictEqual(add.security, [
      [{ type: 'apiKey', name: 'Authorization', in: 'header', id: 'Klaviyo-API-Key' }],
    ]);
    const errors = add.responses.find((r) => r.status === '400')?.schema as { required: string[] };
    assert.deepStrictEqual(errors.required, ['errors']);
  });

  it('"api-description-invalid": one that does not validate is still read, with a warning on the key', async () => {
    const root = tempRoot();
    const file = path.join(root, 'api.yaml');
    // No info.version, and a response without its required description: swagger-parser refuses it as OpenAPI.
    const spec =
      'openapi: 3.0.3\ninfo:\n  title: Lists\npaths:\n  /lists:\n    post:\n      responses:\n        "200": {}\n';
    fs.writeFileSync(file, spec);
    const load = await loadApiDescription(file, root);
    assert.ok(load.description, 'the operations are still read');
    assert.deepStrictEqual(
      load.description.operations.map((o) => `${o.method} ${o.path}`),
      ['POST /lists'],
    );
    const text = '{ "kind": "cohort-list", "apiDescription": "api.yaml" }';
    const analysis = analyzeManifest(text);
    const found = await contractDiagnostics(analysis.doc, analysis.model, load);
    assert.deepStrictEqual(
      found.map((d) => [d.code, d.severity, text.slice(d.start, d.end)]),
      [['api-description-invalid', 'warning', '"api.yaml"']],
    );
    assert.match(found[0].message, /^The API description does not validate: /);
  });

  it('a Postman collection: a problem saying it is not supported and why', async () => {
    const root = tempRoot();
    const text = JSON.stringify({
      info: { name: 'x', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [],
    });
    const loaded = await parseApiDescription(text, path.join(root, 'c.json'), root);
    assert.strictEqual(loaded.description, undefined);
    assert.match(loaded.problems[0].message, /Postman collections are not read: no kept library converts them/);
  });
});

describe('matchOperation', () => {
  async function klaviyo() {
    const loaded = await loadApiDescription(path.join(CONTRACT_FIXTURES, 'klaviyo', 'openapi.yaml'), CONTRACT_FIXTURES);
    assert.ok(loaded.description);
    return loaded.description;
  }

  it('strips the server and matches $variables and ${...} to {param} segments', async () => {
    const d = await klaviyo();
    const match = matchOperation(d, 'post', 'https://a.klaviyo.com/api/lists/$list_id/relationships/profiles/');
    assert.strictEqual(match.operation?.operationId, 'add_profiles_to_list');
    assert.deepStrictEqual(match.pathParams, { id: '$list_id' });
    const templated = matchOperation(d, 'DELETE', 'https://a.klaviyo.com/api/lists/${list_id}/relationships/profiles/');
    assert.strictEqual(templated.operation?.operationId, 'remove_profiles_from_list');
  });

  it("a URL that starts with a variable may hold the server's base path (Swagger 2.0 basePath /3.0)", async () => {
    const loaded = await loadApiDescription(
      path.join(CONTRACT_FIXTURES, 'mailchimp', 'swagger.json'),
      CONTRACT_FIXTURES,
    );
    assert.ok(loaded.description);
    const ids = ['$base_url/lists/$a/segments', 'https://$dc.api.mailchimp.com/3.0/lists/$a/segments'].map(
      (url) => matchOperation(loaded.description!, 'POST', url).operation?.operationId,
    );
    assert.deepStrictEqual(ids, ['postListsIdSegments', 'postListsIdSegments']);
    const missing = matchOperation(loaded.description, 'POST', 'https://us6.api.mailchimp.com/lists/$a/segments');
    assert.strictEqual(missing.why, 'path');
  });

  it('a near miss names the same path with its other method, or the closest path', async () => {
    const d = await klaviyo();
    const method = matchOperation(d, 'PUT', 'https://a.klaviyo.com/api/lists/$list_id/relationships/profiles/');
    assert.strictEqual(method.operation, undefined);
    assert.strictEqual(method.why, 'method');
    assert.strictEqual(method.closest?.method, 'POST');
    const typo = matchOperation(d, 'POST', 'https://a.klaviyo.com/api/lists/$list_id/relationships/profile/');
    assert.strictEqual(typo.why, 'path');
    assert.strictEqual(
      operationName(typo.closest!),
      'POST /api/lists/{id}/relationships/profiles/ (add_profiles_to_list)',
    );
  });
});

describe("apiDescription is this tool's own key", () => {
  it('is left out of the portal sheet and its Markdown (it is no portal field)', () => {
    const text = fs.readFileSync(path.join(CONTRACT_FIXTURES, 'klaviyo', 'klaviyo-lists.amplitude.json'), 'utf8');
    const analysis = analyzeManifest(text);
    assert.deepStrictEqual(analysis.diagnostics, []);
    const markdown = portalMarkdown(portalSheet(analysis));
    assert.match(markdown, /a\.klaviyo\.com\/api\/lists/);
    assert.doesNotMatch(markdown, /apiDescription|openapi\.yaml|API description/i);
  });
});
