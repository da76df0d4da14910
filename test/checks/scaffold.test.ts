import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeManifest } from '../../server/src/analysis';
import { MANIFEST_KINDS } from '../../server/src/manifest/model';
import { nodeFiles } from '../../server/src/base/files';
import { scaffoldIntegration } from '../../server/src/scaffold';
import { checkTemplate, templateManifestFrom } from '../../server/src/templates/templateAnalysis';

describe('New Integration scaffold', () => {
  for (const kind of MANIFEST_KINDS) {
    it(`${kind}: a manifest with zero diagnostics, and its files`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-new-'));
      const { manifest, files } = scaffoldIntegration(kind, "Acme & Co's Sync");
      for (const file of files) fs.writeFileSync(path.join(dir, file.name), file.content);
      const analysis = analyzeManifest(manifest, { baseDir: dir, rootDir: dir, files: nodeFiles });
      assert.deepStrictEqual(
        analysis.diagnostics.map((d) => `${d.code}: ${d.message}`),
        [],
      );
      assert.strictEqual(analysis.model.kind, kind);
      const template = files.find((f) => f.name.endsWith('.ftl'));
      if (kind === 'event-streaming') {
        assert.ok(template);
        assert.deepStrictEqual(
          checkTemplate(String(template.content), templateManifestFrom('m', analysis.model.streaming)),
          [],
        );
      }
    });
  }
});
