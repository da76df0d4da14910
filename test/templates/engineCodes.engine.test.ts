import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ManifestDiagnostic } from '../../server/src/base/diagnostic';
import { FreemarkerWorker, locateEngine } from '../../server/src/freemarker/engine';
import { parseManifest } from '../../server/src/manifest/document';
import { EVIDENCE_EVENTS } from '../../server/src/freemarker/evidenceEvents';
import { engineChecks } from '../../server/src/templates/engineChecks';
import { builtEngine, startedWorker } from '../helpers/engine';
import { mutate, streamingOf, textAt } from '../helpers/manifests';
import { REPO } from '../helpers/lspClient';

const PARTNERS = path.join(REPO, 'test', 'fixtures', 'partners');

function fixture(partner: string, file: string): string {
  return fs.readFileSync(path.join(PARTNERS, partner, file), 'utf8');
}

function manifestOf(partner: string): Record<string, unknown> {
  return parseManifest(fixture(partner, `${partner}.amplitude.json`)).value as Record<string, unknown>;
}

/** The findings of one code, as what a partner sees: severity, the text under the range, the message. */
function found(diagnostics: ManifestDiagnostic[], code: string, text: string) {
  return diagnostics
    .filter((d) => d.code === code)
    .map((d) => ({ severity: d.severity, under: textAt(text, d), message: d.message }));
}

/**
 * Iterable's "Track an event" (https://api.iterable.com/api/docs#events_track) and "Update user data"
 * (https://api.iterable.com/api/docs#users_updateUser) templates of test/fixtures/partners, each with one
 * mistake planted, through the real FreeMarker 2.3.31 and every sample event.
 */
describe('engine-backed template codes, against the real engine', () => {
  let worker: FreemarkerWorker;
  before(async () => {
    worker = await startedWorker({ timeoutMs: 10_000 });
  });
  after(() => worker.dispose());

  const track = fixture('iterable-events', 'track.ftl');
  const trackManifest = streamingOf(manifestOf('iterable-events'));

  describe('template-render-error', () => {
    it("reading the event's uuid without a default: fails for the sparse custom event, at the read", async () => {
      const text = mutate(track, '${(input.uuid!input["$insert_id"]!"")?json_string}', '${input.uuid?json_string}');
      const diagnostics = await engineChecks(worker, 'track.ftl', text, trackManifest);
      const errors = found(diagnostics, 'template-render-error', text);
      assert.strictEqual(errors.length, 1, JSON.stringify(diagnostics));
      assert.strictEqual(errors[0].severity, 'error');
      assert.strictEqual(errors[0].under, 'input.uuid');
      // Only the evidence events without a uuid are named, with the engine's own words.
      assert.match(
        errors[0].message,
        /^Rendering fails for 2 sample events \("Custom event \(sparse\)", "No groups, empty properties \(missing parents\)"\): /,
      );
      assert.match(errors[0].message, /evaluated to null or missing[\s\S]*input\.uuid/);
    });

    it('an #include of a file the portal does not have: fails for every sample, at the directive', async () => {
      const text = mutate(track, '<#setting number_format="computer">', '<#include "iterable-common.ftl">');
      const errors = found(await engineChecks(worker, 'track.ftl', text, trackManifest), 'template-render-error', text);
      assert.strictEqual(errors.length, 1, JSON.stringify(errors));
      assert.strictEqual(errors[0].under, '<#include "iterable-common.ftl">');
      const every = `Rendering fails for ${EVIDENCE_EVENTS.length} sample events ("Push Notification Send", `;
      assert.ok(errors[0].message.startsWith(every), errors[0].message);
      assert.match(errors[0].message, /Template inclusion failed[\s\S]*iterable-common\.ftl/);
    });

    it('?new on a Java class (a snippet pasted from a forum): refused by the engine, at the call', async () => {
      const planted = '<#assign uuid = "freemarker.template.utility.Execute"?new()>';
      const text = mutate(track, '<#setting time_zone="UTC">', `<#setting time_zone="UTC">\n${planted}`);
      const errors = found(await engineChecks(worker, 'track.ftl', text, trackManifest), 'template-render-error', text);
      assert.strictEqual(errors.length, 1, JSON.stringify(errors));
      assert.strictEqual(errors[0].severity, 'error');
      assert.strictEqual(errors[0].under, planted);
      assert.match(
        errors[0].message,
        /: Instantiating freemarker\.template\.utility\.Execute is not allowed .*security/,
      );
    });

    it('the fixture as written renders for every sample: no engine finding at all', async () => {
      assert.deepStrictEqual(await engineChecks(worker, 'track.ftl', track, trackManifest), []);
    });
  });

  describe('limit-exceeded', () => {
    const update = fixture('iterable-identify', 'update-user.ftl');
    const firstLine = update.slice(0, update.indexOf('\n'));
    const identify = manifestOf('iterable-identify');
    const checkUnder = (limits: Record<string, number>) =>
      engineChecks(worker, 'update-user.ftl', update, streamingOf({ ...identify, limits }), 'identify');

    it("each declared limit a sample identify's body, properties or identifier passes, with the samples", async () => {
      // A partner that declares limits tighter than what Amplitude sends: a 4 KB body, 200 properties, 32-byte ids.
      const diagnostics = await checkUnder({ maxBodyBytes: 4096, maxProperties: 200, maxIdentifierLength: 32 });
      const warnings = found(diagnostics, 'limit-exceeded', update);
      assert.strictEqual(warnings.length, 3, JSON.stringify(diagnostics));
      for (const w of warnings) {
        assert.strictEqual(w.severity, 'warning');
        assert.strictEqual(w.under, firstLine);
        assert.match(w.message, /^Over your declared limits for /);
      }
      const says = (pattern: RegExp) => warnings.filter((w) => pattern.test(w.message)).length;
      assert.strictEqual(says(/"Identify: 300 attributes": the body is \d{5} bytes; your limit is 4096\.$/), 1);
      assert.strictEqual(
        says(/"Identify: 300 attributes": the body carries 300 of the event's properties; your limit is 200\./),
        1,
      );
      assert.strictEqual(says(/^Over your declared limits for 5 sample events .*device_id is 36 bytes; .* 32\.$/), 1);
      assert.deepStrictEqual(found(diagnostics, 'template-render-error', update), []);
    });

    it("within the fixture's own limits (100000 bytes, 300 properties, 150-byte ids): silent", async () => {
      const own = identify.limits as Record<string, number>;
      assert.deepStrictEqual(await checkUnder(own), []);
      // At the largest body's own size it is silent, one byte under it is heard: the check measures the render.
      const over = await checkUnder({ maxBodyBytes: 4096 });
      const bytes = Number(/the body is (\d+) bytes/.exec(over[0]?.message ?? '')?.[1]);
      assert.ok(bytes > 4096, JSON.stringify(over));
      assert.deepStrictEqual(await checkUnder({ maxBodyBytes: bytes }), []);
      assert.deepStrictEqual(
        (await checkUnder({ maxBodyBytes: bytes - 1 })).map((d) => d.code),
        ['limit-exceeded'],
      );
    });
  });

  describe('template-engine', () => {
    it('amplitude.freemarker.jarPath naming a download that is not FreeMarker: the engine cannot run', async () => {
      // A mirror's "404 Not Found" page saved as freemarker.jar: Java starts, FreeMarker's classes are missing.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-jar-'));
      const jar = path.join(dir, 'freemarker.jar');
      fs.writeFileSync(jar, '<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n');
      const location = locateEngine({ workerDir: builtEngine().workerDir, jar });
      assert.ok(!('problem' in location), JSON.stringify(location));
      const broken = new FreemarkerWorker(location, { timeoutMs: 10_000 });
      try {
        const diagnostics = await engineChecks(broken, 'track.ftl', track, trackManifest);
        const errors = found(diagnostics, 'template-engine', track);
        assert.strictEqual(diagnostics.length, 1, JSON.stringify(diagnostics));
        assert.strictEqual(errors[0].severity, 'error');
        assert.strictEqual(errors[0].under, track.slice(0, track.indexOf('\n')));
        assert.match(errors[0].message, /^The FreeMarker worker stopped \(exit 1\):.*freemarker\/template\//);
      } finally {
        broken.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("a generated template nested past the parser's stack: the engine's own failure, not a syntax error", async () => {
      const depth = 20_000;
      const text = `{"total": \${${'('.repeat(depth)}1${')'.repeat(depth)}}}`;
      const diagnostics = await engineChecks(worker, 'generated.ftl', text, trackManifest);
      assert.deepStrictEqual(
        diagnostics.map((d) => [d.code, d.severity, d.start, d.end]),
        [['template-engine', 'error', 0, text.length]],
      );
      assert.match(diagnostics[0].message, /StackOverflowError \(FreeMarker 2\.3\.31\)$/);
      // The same arithmetic at a depth people write parses and renders.
      const shallow = `{"total": \${${'('.repeat(20)}1${')'.repeat(20)}}}`;
      assert.deepStrictEqual(await engineChecks(worker, 'generated.ftl', shallow, trackManifest), []);
    });
  });
});
