import * as assert from 'assert';
import { analyzeAs, mutate, readExample, textAt } from '../helpers/manifests';

function withListIdPath(listIdPath: string) {
  const text = mutate(
    readExample('list'),
    '"listIdPath": "audience.id"',
    `"listIdPath": ${JSON.stringify(listIdPath)}`,
  );
  return { text, found: analyzeAs('list', text).diagnostics };
}

describe('invalid-list-id-path', () => {
  it('is silent on dot paths Test Endpoint can read', () => {
    for (const path of ['audience.id', 'data[0].id', 'data.0.id', 'id']) {
      assert.deepStrictEqual(withListIdPath(path).found, [], path);
    }
  });

  it('a JSONPath habit ("$.audience.id"): an error on the value, saying to drop the "$."', () => {
    const { text, found } = withListIdPath('$.audience.id');
    assert.deepStrictEqual(
      found.map((d) => [d.code, d.severity, textAt(text, d)]),
      [['invalid-list-id-path', 'error', '"$.audience.id"']],
    );
    assert.match(found[0].message, /listIdPath "\$\.audience\.id" cannot be read/);
    assert.match(found[0].message, /without a leading "\$"/);
  });

  it('an empty key, an index first, a key without its dot', () => {
    const cases: [string, RegExp][] = [
      ['audience..id', /empty key/],
      ['[0].id', /cannot start with an index/],
      ['data[0]id', /"id" must follow a dot/],
    ];
    for (const [path, reason] of cases) {
      const { text, found } = withListIdPath(path);
      assert.deepStrictEqual(
        found.map((d) => [d.code, textAt(text, d)]),
        [['invalid-list-id-path', JSON.stringify(path)]],
        path,
      );
      assert.match(found[0].message, reason, path);
    }
  });
});
