import * as assert from 'assert';
import { analyzeAs, readExample, textAt } from '../helpers/manifests';

describe('setup-steps-count', () => {
  it('is information below 5 steps, on the "steps" key', () => {
    const text = readExample('ingestion')
      .replace(/ {6}\{ "text": "Choose the data center[^\n]*\n/, '')
      .replace(/ {6}\{ "text": "Paste the API key[^\n]*\n/, '');
    const found = analyzeAs('ingestion', text).diagnostics;
    assert.deepStrictEqual(
      found.map((d) => [d.code, d.severity, textAt(text, d)]),
      [['setup-steps-count', 'information', '"steps"']],
    );
    assert.match(found[0].message, /^4 setup steps/);
  });
});
