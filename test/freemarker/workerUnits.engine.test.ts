import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WORKER_JAR } from '../../server/src/freemarker/engine';
import { builtEngine } from '../helpers/engine';
import { REPO } from '../helpers/lspClient';

/**
 * The Java worker's own unit checks (test/freemarker/java/WorkerUnitChecks.java): its strict JSON reader, its
 * bounded line reader and its request fields, checked inside the JVM against the built jar.
 */
describe('FreeMarker worker: its request reading, checked in the JVM', function () {
  this.timeout(60_000);
  let classes: string;
  before(() => {
    classes = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-checks-'));
  });
  after(() => fs.rmSync(classes, { recursive: true, force: true }));

  it('every check of WorkerUnitChecks passes', () => {
    const engine = builtEngine();
    const classpath = [path.join(engine.workerDir, WORKER_JAR), engine.jar].join(path.delimiter);
    const source = path.join(REPO, 'test', 'freemarker', 'java', 'WorkerUnitChecks.java');
    const javac = path.join(path.dirname(engine.java), 'javac');
    const compiled = spawnSync(
      fs.existsSync(javac) ? javac : 'javac',
      ['-nowarn', '-cp', classpath, '-d', classes, source],
      {
        encoding: 'utf8',
      },
    );
    assert.strictEqual(compiled.status, 0, compiled.stderr);
    const run = spawnSync(engine.java, ['-cp', [classes, classpath].join(path.delimiter), 'WorkerUnitChecks'], {
      encoding: 'utf8',
    });
    assert.strictEqual(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^passed [1-9]\d*$/m);
    assert.doesNotMatch(run.stdout, /^FAIL/m);
  });
});
