import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, parse } from 'jsonc-parser';
import { removeAt } from '../../server/src/base/jsonEdits';
import { CONTRACT_CODES } from '../../server/src/contract';
import { exampleWorkspace, runCliProcess } from '../helpers/cli';
import { CONTRACT_FIXTURES } from '../contract/helpers';

/**
 * `import --api-description ... --operation ...` through the real CLI: an endpoint written from the partner's
 * description (the corpus's, modelled on Klaviyo's, Mailchimp's, HubSpot's and Mixpanel's published OpenAPI
 * documents) that `validate` then finds nothing wrong with against that same description.
 */

interface Manifest {
  endpoints?: Record<string, Record<string, unknown>>;
  request?: Record<string, unknown>;
  headers?: Record<string, string>;
  apiDescription?: string;
}

function read(file: string): Manifest {
  return parse(fs.readFileSync(file, 'utf8'), [], { allowTrailingComma: true }) as Manifest;
}

/** A copy of a corpus integration with `paths` removed from its manifest (to import them back). */
function without(partner: string, manifestName: string, paths: (string | number)[][]): string {
  const manifest = exampleWorkspace(path.join(CONTRACT_FIXTURES, partner, manifestName));
  let text = fs.readFileSync(manifest, 'utf8');
  for (const p of paths) text = applyEdits(text, removeAt(text, p));
  fs.writeFileSync(manifest, text);
  return manifest;
}

async function cli(args: string[], cwd: string) {
  const run = await runCliProcess(args, { cwd, timeoutMs: 60_000 });
  assert.ok(!run.timedOut, 'the command ended');
  return run;
}

async function contractFindings(manifest: string): Promise<{ code: string; message: string }[]> {
  const run = await cli(['validate', path.basename(manifest), '--format', 'json'], path.dirname(manifest));
  const found = JSON.parse(run.stdout) as { code: string; message: string; severity: string }[];
  return found.filter((f) => CONTRACT_CODES.includes(f.code) || f.severity === 'error');
}

describe('import --operation (real CLI)', function () {
  this.timeout(120_000);

  it('Klaviyo add users into the manifest: $list_id in the path, the batch from maxItems, validate agrees', async () => {
    const manifest = without(
      'klaviyo-lists',
      'klaviyo-lists.amplitude.json',
      ['url', 'payload', 'batchSize', 'itemTemplate'].map((key) => ['endpoints', 'addUsers', key]),
    );
    const dir = path.dirname(manifest);
    const before = fs.readFileSync(manifest, 'utf8');
    const run = await cli(
      ['import', '--api-description', 'klaviyo-lists.openapi.json', '--operation', 'create_list_relationships'].concat([
        '--role',
        'addUsers',
        '--into',
        path.basename(manifest),
      ]),
      dir,
    );
    assert.strictEqual(run.code, 0, run.stderr);
    const { errors, ...added } = read(manifest).endpoints?.addUsers ?? {};
    assert.ok(Array.isArray(errors) && errors.length === 5, 'the error table kept');
    assert.deepStrictEqual(added, {
      url: 'https://a.klaviyo.com/api/lists/$list_id/relationships/profiles',
      method: 'POST',
      payload: { data: '$items' },
      batchSize: 1000,
      itemTemplate: { type: 'profile', id: '$profile_id_field_amplitude' },
    });
    assert.ok(fs.readFileSync(manifest, 'utf8').startsWith(before.slice(0, before.indexOf('{'))), 'comments kept');
    assert.match(run.stderr, /The path's \{id\} is the list: \$list_id/);
    assert.match(run.stderr, /Kept the manifest's Authorization header/);
    assert.deepStrictEqual(await contractFindings(manifest), []);
  });

  it('Klaviyo list creation from the description alone: listIdPath where the 201 answer has the id', async () => {
    const dir = path.join(CONTRACT_FIXTURES, 'klaviyo-lists');
    const run = await cli(
      ['import', '--api-description', 'klaviyo-lists.openapi.json', '--operation', 'POST /api/lists'].concat([
        '--role',
        'listCreation',
      ]),
      dir,
    );
    assert.strictEqual(run.code, 0, run.stderr);
    const fragment = JSON.parse(run.stdout) as Manifest & { authentication: unknown };
    assert.deepStrictEqual(fragment.endpoints?.listCreation, {
      url: 'https://a.klaviyo.com/api/lists',
      method: 'POST',
      payload: { data: { type: 'list', attributes: { name: '$amp_cohort_name' } } },
      listIdPath: 'data.id',
    });
    assert.deepStrictEqual(fragment.authentication, { method: 'header' });
    assert.deepStrictEqual(fragment.headers, {
      revision: '2024-10-15',
      'Content-Type': 'application/vnd.api+json',
      Authorization: '$api_key',
    });
  });

  it('Mailchimp remove users: the server variable and a parameter named like $list_id get their own names', async () => {
    const dir = path.join(CONTRACT_FIXTURES, 'mailchimp-segments');
    const run = await cli(
      ['import', '--api-description', 'mailchimp-segments.openapi.json', '--operation', 'postListsIdSegmentsId'].concat(
        ['--role', 'removeUsers'],
      ),
      dir,
    );
    assert.strictEqual(run.code, 0, run.stderr);
    const removal = (JSON.parse(run.stdout) as Manifest).endpoints?.removeUsers;
    assert.strictEqual(removal?.url, 'https://$dc.api.mailchimp.com/3.0/lists/$partner_list_id/segments/$list_id');
    assert.deepStrictEqual(removal?.payload, { members_to_remove: '$items' });
    assert.strictEqual(removal?.batchSize, 500);
    assert.match(run.stderr, /Declare these as custom fields \(the URL uses them\): dc, partner_list_id\./);
  });

  it('HubSpot update where the API takes strings: the membership in an item template written as text', async () => {
    const manifest = without('hubspot-contacts', 'hubspot-contacts.amplitude.json', [['endpoints', 'update']]);
    const run = await cli(
      ['import', '--operation', 'POST /crm/v3/objects/contacts/batch/update', '--into', path.basename(manifest)],
      path.dirname(manifest),
    );
    assert.strictEqual(run.code, 0, run.stderr);
    const update = read(manifest).endpoints?.update;
    assert.strictEqual(update?.batchSize, 100);
    assert.strictEqual(
      update?.itemTemplateText,
      '{"id":"$email_field_amplitude","properties":{"amplitude_$amp_cohort_name":"$amp_cohort_membership"}}',
    );
    assert.deepStrictEqual(await contractFindings(manifest), []);
  });

  it('Mixpanel events: the request and a body template from the schema that the real engine renders valid', async () => {
    const manifest = without('mixpanel-events', 'mixpanel-events.amplitude.json', [['request']]);
    const dir = path.dirname(manifest);
    fs.rmSync(path.join(dir, 'track.ftl'));
    const run = await cli(['import', '--operation', 'track-event', '--into', path.basename(manifest)], dir);
    assert.strictEqual(run.code, 0, run.stderr);
    const request = read(manifest).request;
    assert.strictEqual(request?.bodyTemplate, 'track-event.ftl');
    assert.strictEqual(request?.method, 'POST');
    const template = fs.readFileSync(path.join(dir, 'track-event.ftl'), 'utf8');
    assert.match(template, /"token": "\$\{parameters\.project_token\?json_string\}"/);
    assert.match(template, /"event": "\$\{input\.event_type\?json_string\}"/);
    assert.match(run.stderr, /the description does not say which unit/);
    assert.deepStrictEqual(await contractFindings(manifest), []);
  });

  it('an unknown operation or a list-based endpoint without --role is refused with what to do', async () => {
    const dir = path.join(CONTRACT_FIXTURES, 'iterable-lists');
    const unknown = await cli(
      ['import', '--api-description', 'iterable-lists.swagger.json', '--operation', 'lists_subscrib'],
      dir,
    );
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /has no operation "lists_subscrib"\. It has: lists_create, lists_subscribe/);
    const noRole = await cli(
      ['import', '--api-description', 'iterable-lists.swagger.json', '--operation', 'lists_subscribe'],
      dir,
    );
    assert.strictEqual(noRole.code, 2);
    assert.match(noRole.stderr, /Say which endpoint this operation is with --role/);
  });
});
