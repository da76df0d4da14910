import * as assert from 'assert';
import { analyzeAs, applyFix, mutate, readExample, textAt } from '../helpers/manifests';

describe('URL checks', () => {
  it('insecure-url: http is a warning on the scheme, fixed to https', () => {
    const text = mutate(
      readExample('list'),
      '"url": "https://api.$region.pushwave.example/v2/audiences",',
      '"url": "http://api.$region.pushwave.example/v2/audiences",',
    );
    const found = analyzeAs('list', text).diagnostics;
    assert.deepStrictEqual(
      found.map((d) => [d.code, d.severity, textAt(text, d)]),
      [['insecure-url', 'warning', 'http']],
    );
    assert.deepStrictEqual(analyzeAs('list', applyFix(text, found[0].fixes?.[0].edits() ?? [])).diagnostics, []);
  });

  it('invalid-url: no scheme', () => {
    const text = mutate(
      readExample('streaming'),
      '"url": "https://${parameters.region}.beacon.example/v1/track"',
      '"url": "${parameters.region}.beacon.example/v1/track"',
    );
    assert.deepStrictEqual(
      analyzeAs('streaming', text).diagnostics.map((d) => d.code),
      ['invalid-url'],
    );
  });
});
