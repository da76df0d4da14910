import * as assert from 'assert';
import { MANIFEST_CHECKS, runChecks } from '../../server/src/diagnostics';
import type { CheckContext, ManifestCheck } from '../../server/src/diagnostics/types';
import { parseManifest } from '../../server/src/manifest/document';
import { buildModel } from '../../server/src/manifest/model';
import { analyzeAs, mutate, readExample, textAt } from '../helpers/manifests';

function contextOf(text: string): CheckContext {
  const doc = parseManifest(text);
  return { doc, model: buildModel(doc) };
}

/** A check with a bug: it throws on every manifest. */
function throwing(code: string, thrown: unknown): ManifestCheck {
  return {
    codes: [code, 'another-code'],
    run: () => {
      throw thrown;
    },
  };
}

describe('internal-error: a check that throws', () => {
  const list = readExample('list');
  /** One planted mistake, for the checks that still run to find. */
  const planted = mutate(list, '"default": "us"', '"default": "apac"');

  it('is silent when no check throws', () => {
    assert.ok(!runChecks(contextOf(planted)).some((d) => d.code === 'internal-error'));
    assert.ok(!analyzeAs('list', list).diagnostics.some((d) => d.code === 'internal-error'));
  });

  it('becomes one error at the start of the file naming the check; the checks after it still report', () => {
    const checks = [
      throwing('url-check', new TypeError("Cannot read properties of undefined (reading 'url')")),
      ...MANIFEST_CHECKS,
    ];
    const found = runChecks(contextOf(planted), checks);
    assert.deepStrictEqual(
      found.map((d) => [d.code, d.severity, d.start, d.end]),
      [
        ['internal-error', 'error', 0, 0],
        ['default-not-an-option', 'error', planted.indexOf('"apac"'), planted.indexOf('"apac"') + '"apac"'.length],
      ],
    );
    assert.strictEqual(textAt(planted, found[1]), '"apac"');
    assert.match(found[0].message, /^The url-check check failed on this manifest/);
    assert.match(found[0].message, /\(Cannot read properties of undefined \(reading 'url'\)\)/);
    assert.match(found[0].message, /Other checks still ran; please report this\./);
  });

  it('the checks before it report too, and a thrown non-Error is said as text', () => {
    const checks = [...MANIFEST_CHECKS, throwing('last-check', 'stack exhausted')];
    const found = runChecks(contextOf(planted), checks);
    assert.deepStrictEqual(
      found.map((d) => d.code),
      ['internal-error', 'default-not-an-option'],
    );
    assert.match(found[0].message, /^The last-check check failed on this manifest \(stack exhausted\)/);
  });

  it('two checks that throw: one internal-error each', () => {
    const checks = [throwing('first', new Error('one')), throwing('second', new Error('two'))];
    assert.deepStrictEqual(
      runChecks(contextOf(list), checks).map((d) => [d.code, /^The (\w+) check/.exec(d.message)?.[1]]),
      [
        ['internal-error', 'first'],
        ['internal-error', 'second'],
      ],
    );
  });
});
