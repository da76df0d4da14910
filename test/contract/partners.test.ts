import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FreemarkerWorker } from '../../server/src/freemarker/engine';
import { startedWorker } from '../helpers/engine';
import { contractOf, fixture, PARTNERS, plant, summary } from './helpers';

/**
 * The partner integrations of test/fixtures/partners (written against each partner's public reference) checked
 * with `--api-description` against descriptions modelled on the same APIs: a property-based sync (Braze) and two
 * streaming destinations (Iterable, Mixpanel) whose bodies the real FreeMarker engine renders for the sample events.
 */
const BRAZE = path.join(PARTNERS, 'braze-attributes', 'braze-attributes.amplitude.json');
const ITERABLE = path.join(PARTNERS, 'iterable-events', 'iterable-events.amplitude.json');
const MIXPANEL = path.join(PARTNERS, 'mixpanel-track', 'mixpanel-track.amplitude.json');
const read = (file: string) => fs.readFileSync(file, 'utf8');
/** The Braze manifest has no 404 and 500 rows (the first spec): the other specs look at the rest. */
const withoutRows = (found: [string, string, string][]) => found.filter(([code]) => code !== 'contract-error-row');

describe('contract checks: Braze-like track users (property-based, entered and left)', () => {
  const flag = fixture('braze', 'users-track.yaml');

  it('"contract-error-row": the partner manifest as written has no row for the documented 404 and 500', async () => {
    const found = await contractOf(BRAZE, read(BRAZE), { flag });
    assert.deepStrictEqual(summary(found), [['contract-error-row', 'information', '"errors"']]);
    assert.match(
      found.contract[0].message,
      /POST \/users\/track \(trackUsers\) documents 404 \(Not Found\), 500 \(Server Error\)/,
    );
  });

  it('"contract-body-type": the text "true" where _update_existing_only is a boolean', async () => {
    const text = plant(
      read(BRAZE),
      '"external_id": "$user_id_field_amplitude",',
      '"external_id": "$user_id_field_amplitude",\n        "_update_existing_only": "true",',
    );
    const found = await contractOf(BRAZE, text, { flag });
    assert.deepStrictEqual(withoutRows(summary(found)), [['contract-body-type', 'error', '"_update_existing_only"']]);
    assert.match(
      found.contract[0].message,
      /sends "true", a JSON string, where POST \/users\/track \(trackUsers\) wants "boolean"/,
    );
    assert.match(
      found.contract[0].message,
      /at \/attributes\/0\/_update_existing_only of a batch of 75 users who entered/,
    );
  });

  it('"contract-batch-size": 100 attribute objects where Braze takes 75', async () => {
    const found = await contractOf(BRAZE, plant(read(BRAZE), '"batchSize": 75', '"batchSize": 100'), { flag });
    assert.deepStrictEqual(withoutRows(summary(found)), [['contract-batch-size', 'error', '100']]);
  });
});

describe('contract checks: streaming bodies rendered by the real FreeMarker engine', function () {
  this.timeout(120_000);
  let worker: FreemarkerWorker;
  before(async () => {
    worker = await startedWorker();
  });
  after(() => worker.dispose());

  const iterable = fixture('iterable', 'events-track.yaml');
  const mixpanel = fixture('mixpanel', 'ingestion.yaml');

  it('Iterable and Mixpanel as written: no contract finding', async () => {
    assert.deepStrictEqual(
      (await contractOf(ITERABLE, read(ITERABLE), { flag: iterable, engine: () => worker })).contract,
      [],
    );
    assert.deepStrictEqual(
      (await contractOf(MIXPANEL, read(MIXPANEL), { flag: mixpanel, engine: () => worker })).contract,
      [],
    );
  });

  it('"contract-body-type": createdAt rendered as a string where the API wants an integer, on the template', async () => {
    const root = fs.mkdtempSync(path.join(PARTNERS, '..', 'contract', 'tmp-'));
    try {
      fs.cpSync(path.dirname(ITERABLE), root, { recursive: true });
      const template = path.join(root, 'track.ftl');
      fs.writeFileSync(
        template,
        plant(read(template), '"createdAt": ${', '"createdAt": "${').replace('?floor?c},', '?floor?c}",'),
      );
      const file = path.join(root, 'iterable-events.amplitude.json');
      const found = await contractOf(file, read(file), { flag: iterable, engine: () => worker });
      assert.deepStrictEqual(summary(found), [['contract-body-type', 'error', '"track.ftl"']]);
      assert.match(
        found.contract[0].message,
        /a JSON string, where POST \/api\/events\/track \(track\) wants "integer"/,
      );
      assert.match(found.contract[0].message, /at \/createdAt of track\.ftl rendered for the sample event/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('"contract-auth": "Bearer " before a key the Api-Key header takes bare', async () => {
    const text = plant(
      read(ITERABLE),
      '"Api-Key": "${parameters.api_key}"',
      '"Api-Key": "Bearer ${parameters.api_key}"',
    );
    const found = await contractOf(ITERABLE, text, { flag: iterable, engine: () => worker });
    assert.deepStrictEqual(summary(found), [['contract-auth', 'error', '"Bearer ${parameters.api_key}"']]);
    assert.match(found.contract[0].message, /"Bearer " before the key: Api-Key takes the key bare/);
  });

  it('"contract-parameter": /import without its required project_id query parameter', async () => {
    const text = plant(read(MIXPANEL), 'api_host}/track?verbose=1', 'api_host}/import?strict=1');
    const found = await contractOf(MIXPANEL, text, { flag: mixpanel, engine: () => worker });
    assert.deepStrictEqual(summary(found), [
      ['contract-parameter', 'error', '"https://${parameters.api_host}/import?strict=1"'],
    ]);
    assert.match(found.contract[0].message, /requires the query parameter "project_id"/);
  });

  it('without the engine, streaming bodies are skipped quietly (the rest is still checked)', async () => {
    const text = plant(read(MIXPANEL), 'api_host}/track?verbose=1', 'api_host}/import?strict=1');
    const found = await contractOf(MIXPANEL, text, { flag: mixpanel });
    assert.deepStrictEqual(
      summary(found).map(([code]) => code),
      ['contract-parameter'],
    );
  });
});
