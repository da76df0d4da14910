import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sharingPlan } from '../../server/src/freemarker/classDataSharing';
import { DEBIAN_JAR, WORKER_JAR } from '../../server/src/freemarker/engine';
import { REPO } from '../helpers/lspClient';

describe('FreeMarker worker: class data sharing archives', () => {
  const saved = process.env.XDG_CACHE_HOME;
  let cache: string;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-cache-'));
    process.env.XDG_CACHE_HOME = cache;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('keeps the newest archives only: rebuilds and Java updates do not fill the cache folder', () => {
    const folder = path.join(cache, 'amplitude-integration-tools', 'cds');
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const old = Array.from({ length: 6 }, (_, i) => path.join(folder, `${String(i).repeat(24)}.jsa`));
    old.forEach((file, i) => {
      fs.writeFileSync(file, 'archive');
      const at = new Date(Date.now() - (i + 1) * 60_000);
      fs.utimesSync(file, at, at);
    });
    const unrelated = path.join(folder, 'notes.txt');
    fs.writeFileSync(unrelated, 'kept');
    const classpath = [path.join(REPO, 'dist', 'freemarker', WORKER_JAR), DEBIAN_JAR];
    // A "java" that does nothing: only the clean-up before training is observed.
    const plan = sharingPlan('/bin/true', classpath, ['-Xmx64m'], 'AmplitudeFreemarkerWorker');
    assert.ok(plan.train, 'no archive yet for this Java and jars: one is to be built');
    plan.train();
    const left = fs.readdirSync(folder).filter((name) => name.endsWith('.jsa'));
    assert.deepStrictEqual(
      left.sort(),
      old
        .slice(0, 3)
        .map((file) => path.basename(file))
        .sort(),
    );
    assert.ok(fs.existsSync(unrelated));
  });
});
