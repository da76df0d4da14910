import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeWorkspace, runCliProcess } from '../helpers/cli';
import { EXAMPLES } from '../helpers/manifests';
import { fixture } from '../contract/helpers';

/** `validate` with the partner's API description, through the real process (dist/cli.js). */

function klaviyoWorkspace(edit: (text: string) => string = (t) => t): string {
  const root = makeWorkspace({});
  fs.cpSync(path.dirname(fixture('klaviyo', 'openapi.yaml')), path.join(root, 'klaviyo'), { recursive: true });
  const file = path.join(root, 'klaviyo', 'klaviyo-lists.amplitude.json');
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  return file;
}

describe('validate with an API description (CLI process)', () => {
  it('the manifest\'s apiDescription: correct is exit 0, a batch too large is "contract-batch-size" at its line', async () => {
    const good = await runCliProcess(['validate', klaviyoWorkspace()]);
    assert.equal(good.code, 0, good.stderr + good.stdout);
    assert.doesNotMatch(good.stdout, /contract-/);
    const file = klaviyoWorkspace((t) => t.replace('"batchSize": 1000,', '"batchSize": 10000,'));
    const bad = await runCliProcess(['validate', file]);
    assert.equal(bad.code, 1);
    const line =
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('"batchSize": 10000')) + 1;
    assert.match(bad.stdout, new RegExp(`klaviyo-lists\\.amplitude\\.json:${line}:\\d+ error contract-batch-size `));
    assert.match(bad.stdout, /takes at most 1000 in \/data \("maxItems": 1000 at #\/properties\/data\)/);
  });

  it('--api-description checks a manifest without the key: Pushwave against Klaviyo matches no operation', async () => {
    const run = await runCliProcess([
      'validate',
      path.join(EXAMPLES, 'list-based'),
      '--api-description',
      fixture('klaviyo', 'openapi.yaml'),
      '--format',
      'json',
    ]);
    assert.equal(run.code, 1, run.stderr);
    const found = JSON.parse(run.stdout) as { code: string; message: string }[];
    assert.deepEqual(
      found.map((d) => d.code),
      ['contract-no-operation', 'contract-no-operation', 'contract-no-operation'],
    );
    assert.match(found[0].message, /The closest is POST \/api\/lists\/ \(create_list\)/);
  });

  it('"api-description-unreadable": a missing or broken description is an error on the key, not a crash', async () => {
    const missing = klaviyoWorkspace((t) =>
      t.replace('"apiDescription": "openapi.yaml"', '"apiDescription": "gone.yaml"'),
    );
    const run = await runCliProcess(['validate', missing]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /:6:\d+ error api-description-unreadable The API description "gone\.yaml" does not exist/);
    const broken = klaviyoWorkspace();
    fs.writeFileSync(path.join(path.dirname(broken), 'openapi.yaml'), 'openapi: 3.1.0\npaths: [unclosed\n');
    const second = await runCliProcess(['validate', broken]);
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stdout, /error api-description-unreadable openapi\.yaml is not valid YAML or JSON at line \d+/);
  });

  it('the examples, which name no description, stay quiet', async () => {
    const run = await runCliProcess(['validate', EXAMPLES]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /contract-|api-description/);
  });
});
