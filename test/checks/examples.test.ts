import * as assert from 'assert';
import { analyzeAs, EXAMPLE_FILES, readExample } from '../helpers/manifests';

describe('examples', () => {
  for (const kind of Object.keys(EXAMPLE_FILES) as (keyof typeof EXAMPLE_FILES)[]) {
    it(`${kind} example has zero diagnostics`, () => {
      const analysis = analyzeAs(kind, readExample(kind));
      assert.deepStrictEqual(
        analysis.diagnostics.map((d) => `${d.code}: ${d.message}`),
        [],
      );
      assert.ok(analysis.model.kind, 'kind is read');
    });
  }
});
