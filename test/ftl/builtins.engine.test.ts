import * as assert from 'assert';
import { BUILTIN_DOCS, DIRECTIVE_DOCS } from '../../server/src/ftl/builtinDocs';
import { NAMES_ENGINE_VERSION, SUPPORTED_BUILTINS, SUPPORTED_DIRECTIVES } from '../../server/src/ftl/builtins';
import {
  AMPLITUDE_FREEMARKER_VERSION,
  NEWER_BUILTINS,
  NEWER_DIRECTIVES,
  versionAtLeast,
} from '../../server/src/ftl/builtinVersions';
import type { FreemarkerWorker } from '../../server/src/freemarker/engine';
import { engineNames, type EngineNames } from '../../scripts/freemarkerNames';
import { startedWorker } from '../helpers/engine';

describe("FreeMarker 2.3.31's names, generated from the engine (ftl/builtins.ts)", () => {
  let names: EngineNames;
  let worker: FreemarkerWorker;
  before(async () => {
    names = engineNames();
    worker = await startedWorker();
  });
  after(() => worker.dispose());

  it('are what the engine supports: regenerate with `npm run builtins` when this fails', () => {
    assert.strictEqual(names.version, AMPLITUDE_FREEMARKER_VERSION);
    assert.strictEqual(NAMES_ENGINE_VERSION, names.version);
    assert.deepStrictEqual([...SUPPORTED_BUILTINS], names.builtIns);
    assert.deepStrictEqual([...SUPPORTED_DIRECTIVES], names.directives);
    for (const name of ['switch', 'keep_before', 'iso_utc', 'eval_json', 'json_string'])
      assert.ok(names.builtIns.includes(name));
    for (const name of ['noparse', 'local', 'ftl', 'sep', 'attempt']) assert.ok(names.directives.includes(name));
  });

  it('have one line of docs each, and no docs for a name the engine does not have', () => {
    assert.deepStrictEqual(Object.keys(BUILTIN_DOCS).sort(), [...names.builtIns].sort());
    assert.deepStrictEqual(Object.keys(DIRECTIVE_DOCS).sort(), [...names.directives].sort());
    for (const doc of [...Object.values(BUILTIN_DOCS), ...Object.values(DIRECTIVE_DOCS)])
      assert.ok(!doc.includes('\n'));
  });

  it('the versioned lists agree with the engine: a name is in 2.3.31 exactly when its version is 2.3.31 or older', () => {
    for (const [name, since] of Object.entries(NEWER_BUILTINS))
      assert.strictEqual(names.builtIns.includes(name), versionAtLeast(names.version, since), name);
    for (const [name, since] of Object.entries(NEWER_DIRECTIVES))
      assert.strictEqual(names.directives.includes(name), versionAtLeast(names.version, since), name);
  });

  it('a built-in or directive newer than 2.3.31: the message says which version has it', async () => {
    const cn = await worker.render('body.ftl', '{"id": ${input.amplitude_id?cn}}', { input: { amplitude_id: 1 } });
    assert.ok(!cn.ok);
    assert.match(cn.error.message, /\?cn needs FreeMarker 2\.3\.32 or newer, and the engine in use is 2\.3\.31/);
    assert.match(cn.error.message, /Amplitude renders with FreeMarker 2\.3\.31, which does not have it/);
    const on = await worker.render('body.ftl', '<#switch 1><#on 1>one</#switch>', {});
    assert.ok(!on.ok);
    assert.match(on.error.message, /<#on> needs FreeMarker 2\.3\.34/);
  });
});
