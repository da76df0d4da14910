import { percentile } from '../../server/src/base/stats';
import { randomBytes } from 'crypto';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { analyzeManifest } from '../../server/src/analysis';
import { nodeFiles } from '../../server/src/base/files';
import { renderPreviewHtml } from '../../server/src/preview/html';
import { dataUriResolver } from '../../server/src/preview/images';
import { previewModel } from '../../server/src/preview/model';
import { EXAMPLE_FILES, readExample } from '../../test/helpers/manifests';

/** From an edit to the new preview HTML, as the panel does it: analyse, model, render (images embedded). */
function main(): void {
  let failed = false;
  console.log('bench/preview: edit -> new HTML');
  for (const kind of Object.keys(EXAMPLE_FILES) as (keyof typeof EXAMPLE_FILES)[]) {
    const text = readExample(kind);
    const baseDir = path.dirname(EXAMPLE_FILES[kind]);
    const images = dataUriResolver({ baseDir, rootDir: path.resolve(baseDir, '..', '..') });
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const edited = text.replace('"summary": "', `"summary": "${i} `);
      const started = performance.now();
      const analysis = analyzeManifest(edited, { baseDir, files: nodeFiles });
      renderPreviewHtml(previewModel(analysis), { nonce: randomBytes(16).toString('base64'), images });
      if (i >= 20) samples.push(performance.now() - started);
    }
    const p95 = percentile(samples, 95);
    failed ||= p95 >= 50;
    console.log(
      `${p95 < 50 ? 'PASS' : 'FAIL'}  ${kind}: p50 ${percentile(samples, 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (target p95 < 50 ms)`,
    );
  }
  if (failed) process.exitCode = 1;
}

main();
