import * as assert from 'assert';
import { analyzeManifest, type ManifestAnalysis } from '../../server/src/analysis';
import { EXAMPLE_FILES, readExample } from '../helpers/manifests';

/** What a partner sees of an analysis: every problem and every `$variable` with its place in the text. */
function seen(analysis: ManifestAnalysis): unknown {
  return {
    diagnostics: analysis.diagnostics.map(({ start, end, code, severity, message }) => ({
      start,
      end,
      code,
      severity,
      message,
    })),
    references: analysis.model.references.map((r) => ({
      name: r.name,
      dashTail: r.dashTail,
      part: r.part,
      endpoint: r.endpoint,
      inKey: r.inKey,
      whole: r.whole,
      start: r.start,
      end: r.end,
    })),
  };
}

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const INSERTS = ['x', '$', '$ghost', '$api_key', '-key', '${x}', '{{y}}', '', 'é', '"', '\\', '\\"', ',', '$items'];

describe('analysis after an edit (the editor passes the version it was edited from)', () => {
  it('finds what a fresh analysis of the same text finds, after every edit of a sequence', () => {
    const next = random(11);
    let compared = 0;
    for (const name of Object.keys(EXAMPLE_FILES) as (keyof typeof EXAMPLE_FILES)[]) {
      let text = readExample(name);
      let previous = analyzeManifest(text);
      for (let n = 0; n < 60; n++) {
        // Mostly typing inside strings (what reuses the previous value); now and then anything at all.
        const quotes = [...text.matchAll(/"[^"\\\n]*"/g)];
        const inString = quotes[Math.floor(next() * quotes.length)];
        const at =
          inString && next() < 0.85
            ? (inString.index ?? 0) + 1 + Math.floor(next() * (inString[0].length - 1))
            : Math.floor(next() * text.length);
        const removed = Math.floor(next() * 3);
        text = text.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + text.slice(at + removed);
        void previous.doc.root; // the editor has needed offsets (a diagnostic, a hover)
        const reused = analyzeManifest(text, { previous: previous.doc });
        assert.deepStrictEqual(seen(reused), seen(analyzeManifest(text)), `${name}, edit ${n}`);
        previous = reused;
        compared++;
      }
    }
    assert.ok(compared > 200, `${compared} edits compared`);
  });

  it('sees a variable typed into a payload that an earlier analysis scanned', () => {
    const text = readExample('list');
    const first = analyzeManifest(text);
    void first.doc.root;
    const at = text.indexOf('"$items"') + 1;
    const typed = `${text.slice(0, at)}$ghost_id ${text.slice(at)}`;
    const second = analyzeManifest(typed, { previous: first.doc });
    const problem = second.diagnostics.find((d) => d.code === 'undeclared-variable');
    assert.ok(problem, 'the new $ghost_id is reported');
    assert.strictEqual(typed.slice(problem.start, problem.end), '$ghost_id');
    const undo = analyzeManifest(text, { previous: second.doc });
    assert.deepStrictEqual(seen(undo), seen(first), 'undoing the edit gives the first analysis back');
  });
});
