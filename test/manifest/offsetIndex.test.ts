import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { findNodeAtLocation, findNodeAtOffset, getNodePath, parseTree, type Node } from 'jsonc-parser';
import { parseManifest, type ManifestDocument } from '../../server/src/manifest/document';
import { OffsetIndex } from '../../server/src/manifest/offsetIndex';
import { EXAMPLE_FILES, readExample } from '../helpers/manifests';

type Shape = { type: string; offset: number; length: number; value: unknown; children?: Shape[] };

function shape(node: Node): Shape {
  return {
    type: node.type,
    offset: node.offset,
    length: node.length,
    value: node.value,
    children: node.children?.map(shape),
  };
}

/** Every path in the tree, for lookups. */
function paths(node: Node, base: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  into.push(base);
  if (node.type === 'object')
    for (const p of node.children ?? []) {
      if (p.children?.[1]) paths(p.children[1], [...base, String(p.children[0].value)], into);
    }
  if (node.type === 'array') node.children?.forEach((c, i) => paths(c, [...base, i], into));
  return into;
}

const TEXTS: Record<string, string> = {
  ...Object.fromEntries((Object.keys(EXAMPLE_FILES) as (keyof typeof EXAMPLE_FILES)[]).map((k) => [k, readExample(k)])),
  escapes:
    '// a comment\n{ "a\\"b": "x\\u0041\\n$y", "n": -1.5e3, "t": true, "f": false, "z": null, /* c */ "arr": [[], {}, [1, [2]]], "a\\"b": 2, "a\\\\": 3, "a\\\\\\\\": 4 }',
  scalar: '  "just a string"  ',
  duplicates: '{"a": "first", "b": {"a": "x"}, "a": "last", "__proto__": "own", "list": ["s", "t", {"k": "v"}]}',
};

describe("offset index (the compact stand-in for jsonc-parser's tree)", () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    it(`matches jsonc-parser's tree node for node: ${name}`, () => {
      const tree = parseTree(text, [], { disallowComments: false }) as Node;
      const index = OffsetIndex.build(text) as OffsetIndex;
      assert.deepStrictEqual(shape(index.root), shape(tree));
      for (const path of paths(tree)) {
        const expected = findNodeAtLocation(tree, path);
        const id = index.find(path);
        assert.ok(id !== undefined, `no node at ${JSON.stringify(path)}`);
        assert.deepStrictEqual(
          { offset: index.offsetOf(id), length: index.lengthOf(id) },
          { offset: expected?.offset, length: expected?.length },
          JSON.stringify(path),
        );
      }
      for (let offset = 0; offset < text.length; offset += 7) {
        const ours = findNodeAtOffset(index.root, offset);
        const theirs = findNodeAtOffset(tree, offset);
        assert.deepStrictEqual(
          ours && { path: getNodePath(ours), type: ours.type },
          theirs && { path: getNodePath(theirs), type: theirs.type },
          `offset ${offset}`,
        );
      }
      assert.strictEqual(index.find(['no such key']), undefined);
      assert.strictEqual(index.find([99999]), undefined);
    });
  }

  it('gives the same node object each time, so `===` and indexOf work as on a tree', () => {
    const index = OffsetIndex.build('{"a": [1, 2, {"b": 3}]}') as OffsetIndex;
    const b = index.node(index.find(['a', 2, 'b']) as number);
    assert.strictEqual(b.parent?.children?.[1], b);
    assert.deepStrictEqual(getNodePath(b), ['a', 2, 'b']);
  });

  it("holds a 1 MB manifest in a fraction of the tree's memory", () => {
    // Measured in a fresh Node with --expose-gc: in mocha's process other tests' garbage moves the figures.
    const script = `
      const { parseTree } = require(${JSON.stringify(require.resolve('jsonc-parser'))});
      const { OffsetIndex } = require(${JSON.stringify(require.resolve('../../server/src/manifest/offsetIndex'))});
      const { generateLargeManifest } = require(${JSON.stringify(require.resolve('../../bench/lsp/generate'))});
      const used = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
      const text = generateLargeManifest();
      let at = used();
      const tree = parseTree(text);
      const treeBytes = used() - at;
      at = used();
      const index = OffsetIndex.build(text);
      const indexBytes = used() - at;
      process.stdout.write(JSON.stringify({ treeBytes, indexBytes, kept: [tree !== undefined, index !== undefined] }));`;
    const out = execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
    const { treeBytes, indexBytes, kept } = JSON.parse(out) as {
      treeBytes: number;
      indexBytes: number;
      kept: boolean[];
    };
    assert.deepStrictEqual(kept, [true, true]);
    assert.ok(treeBytes > 5_000_000, `the tree takes ${treeBytes} bytes`);
    assert.ok(indexBytes * 4 < treeBytes, `index ${indexBytes} bytes vs tree ${treeBytes} bytes`);
  });

  describe('after an edit (the editor types in a value): reused, never wrong', () => {
    /** Every node of `ours` against a fresh build of the same text. */
    function assertSameAsBuilt(ours: OffsetIndex, text: string, what: string): void {
      const built = OffsetIndex.build(text) as OffsetIndex;
      assert.deepStrictEqual(shape(ours.root), shape(built.root), what);
      for (const path of paths(parseTree(text, [], { disallowComments: false }) as Node)) {
        const id = ours.find(path);
        assert.ok(id !== undefined, `${what}: no node at ${JSON.stringify(path)}`);
        assert.strictEqual(ours.offsetOf(id), built.offsetOf(built.find(path) as number), what);
      }
    }

    /** A small deterministic random source, so a failure can be replayed. */
    function random(seed: number): () => number {
      let state = seed;
      return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    }

    /** Edits of every text: a few characters removed somewhere, one of INSERTS put in their place. */
    function* randomEdits(
      seed: number,
      maxRemoved: number,
    ): Generator<{ name: string; text: string; edited: string; what: string }> {
      const next = random(seed);
      for (const [name, text] of Object.entries(TEXTS)) {
        for (let n = 0; n < 150; n++) {
          const at = Math.floor(next() * text.length);
          const removed = Math.floor(next() * (maxRemoved + 1));
          const insert = INSERTS[Math.floor(next() * INSERTS.length)];
          const edited = text.slice(0, at) + insert + text.slice(at + removed);
          const what = `${name}: ${JSON.stringify(text.slice(at, at + removed))} -> ${JSON.stringify(insert)} at ${at}`;
          yield { name, text, edited, what };
        }
      }
    }

    const INSERTS = ['x', 'é', '🎉', '', 'Name with spaces', '"', '\\', '\\"', '}', ',', '\n', '$var', '"a": 1, "'];

    it('any edit: the reused index equals a fresh one, or the edit is refused and the index rebuilt', () => {
      let reused = 0;
      let refused = 0;
      const built = new Map<string, OffsetIndex>();
      for (const { name, text, edited, what } of randomEdits(42, 3)) {
        if (!built.has(name)) built.set(name, OffsetIndex.build(text) as OffsetIndex);
        const after = built.get(name)?.afterEdit(edited);
        if (!after) {
          refused++;
          continue;
        }
        reused++;
        assertSameAsBuilt(after, edited, what);
      }
      assert.ok(reused > 100 && refused > 100, `reused ${reused}, refused ${refused}: both paths are exercised`);
    });

    it('the value after typing in a string is what parsing the new text gives, shared where it can be', () => {
      let patched = 0;
      const parsed = new Map<string, ManifestDocument>();
      for (const { name, text, edited, what } of randomEdits(7, 2)) {
        let before = parsed.get(name);
        if (!before) {
          parsed.set(name, (before = parseManifest(text)));
          void before.root; // the editor has needed offsets (a diagnostic, a hover)
        }
        const typed = before.afterStringEdit(edited);
        const fresh = parseManifest(edited);
        if (typed) {
          patched++;
          assert.deepStrictEqual(typed.value, fresh.value, what);
          assert.deepStrictEqual(typed.syntaxProblems, fresh.syntaxProblems, what);
          assert.deepStrictEqual(shape(typed.root as Node), shape(fresh.root as Node), what);
        }
        assert.deepStrictEqual(parseManifest(edited, before).value, fresh.value, what);
      }
      assert.ok(patched > 50, `${patched} edits patched the value`);
      const duplicates = parseManifest(TEXTS.duplicates);
      void duplicates.root;
      const inFirst = TEXTS.duplicates.replace('"first"', '"firsts"');
      assert.strictEqual(duplicates.afterStringEdit(inFirst), undefined, 'a duplicated key: parsed again');
      const own = duplicates.afterStringEdit(TEXTS.duplicates.replace('"own"', '"owner"'))?.value;
      assert.deepStrictEqual(own, JSON.parse(TEXTS.duplicates.replace('"own"', '"owner"')));
      assert.strictEqual(Object.getPrototypeOf(own), Object.prototype);
    });

    it('typing into a value reuses the index; a quote or a new property does not', () => {
      const text = readExample('list');
      const index = OffsetIndex.build(text) as OffsetIndex;
      const at = text.indexOf('"Pushwave"') + 5;
      const typed = `${text.slice(0, at)}y Lists${text.slice(at)}`;
      const after = index.afterEdit(typed);
      assert.ok(after, 'typing inside a string keeps the structure');
      assertSameAsBuilt(after, typed, 'typed');
      assert.strictEqual(index.afterEdit(`${text.slice(0, at)}"${text.slice(at)}`), undefined);
      const brace = text.indexOf('{') + 1;
      assert.strictEqual(index.afterEdit(`${text.slice(0, brace)} "x": 1,${text.slice(brace)}`), undefined);
      const unchanged = index.afterEdit(text);
      assert.ok(unchanged, 'the same text (a save, an undo back) keeps its index');
      assertSameAsBuilt(unchanged, text, 'unchanged');
    });
  });
});
