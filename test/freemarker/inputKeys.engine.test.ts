import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FreemarkerWorker } from '../../server/src/freemarker/engine';
import { dataModelFor } from '../../server/src/freemarker/dataModel';
import { SAMPLE_EVENTS, SAMPLE_IDENTIFIES } from '../../server/src/freemarker/sampleEvents';
import { inputKeysRead } from '../../server/src/ftl/inputKeys';
import { generatedEvent } from '../../server/src/testing/streaming/replayRenders';
import { startedWorker } from '../helpers/engine';
import { REPO } from '../helpers/lspClient';

/** Every body template in the repository: the documented one and the real partners' (Iterable, Mixpanel). */
function repositoryTemplates(): [string, string][] {
  const found: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ftl')) found.push([path.relative(REPO, file), fs.readFileSync(file, 'utf8')]);
    }
  };
  walk(path.join(REPO, 'examples'));
  walk(path.join(REPO, 'test', 'fixtures'));
  return found;
}

/** Templates that read the event in the ways partners do, and in ways the reading must not miss. */
const WRITTEN: [string, string][] = [
  ['subscripts', '{"id":"${input["$insert_id"]!""}","t":"${input[\'event_time\']}","n":${input.event_id!0}}'],
  ['nested', '<#list (input.event_properties!{})?keys as k>${k}=${input.event_properties[k]?is_string?c}</#list>'],
  ['missing key', '${input.no_such_property}'],
  ['whole event', '<#list input?keys as k>${k},</#list>'],
  ['range', '<#list 1..(input.event_id!1) as i>${i}</#list>'],
  ['shadowed', '<#list [{"user_id": "x"}] as input>${input.user_id}</#list>${input.device_id!"none"}'],
  ['groups', '${(input.groups.company_id[0])!"-"} ${(input.group_properties?keys?join(","))!"-"}'],
];

describe('a render sends the engine only the event keys the template reads', () => {
  let worker: FreemarkerWorker;
  before(async () => {
    worker = await startedWorker({ timeoutMs: 5000 });
  });
  after(() => worker.dispose());

  it('renders the same output (or the same error) as with the whole event, for every sample and template', async () => {
    const manifest = { parameters: [{ name: 'api_key' }], userPropertyMappings: [{ name: 'email' }] };
    const events = [
      ...SAMPLE_EVENTS.map((s) => s.event),
      ...SAMPLE_IDENTIFIES.map((s) => s.event),
      ...Array.from({ length: 20 }, (_, i) => generatedEvent(i)),
    ];
    let pruned = 0;
    for (const [name, template] of [...repositoryTemplates(), ...WRITTEN]) {
      if (inputKeysRead(template) !== undefined) pruned++;
      for (const event of events) {
        const whole = await worker.render('body.ftl', template, dataModelFor(manifest, event));
        const read = await worker.render('body.ftl', template, dataModelFor(manifest, event, {}, template));
        const strip = (r: typeof whole) => (r.ok ? r.output : `${r.error.kind}: ${r.error.message}`);
        assert.strictEqual(strip(read), strip(whole), `${name} on ${String(event.event_type)}`);
      }
    }
    assert.ok(pruned >= 8, `most templates read a few keys (${pruned})`);
  });
});
