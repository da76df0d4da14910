import { visit, type Node, type NodeType } from 'jsonc-parser';

const KINDS: readonly NodeType[] = ['object', 'array', 'property', 'string', 'number', 'boolean', 'null'];
const OBJECT = 0,
  ARRAY = 1,
  PROPERTY = 2,
  STRING = 3;
const NONE = -1;
/** Containers with more children than this keep their child list once built. */
const BIG = 32;

/**
 * Where every value, key and property of a manifest sits in its text, in a few flat number arrays
 * (about 24 bytes a node, against several hundred for jsonc-parser's object tree; a 1 MB manifest
 * has some 60,000 nodes). Nodes are handed out as jsonc-parser `Node`s made on demand and kept, so
 * jsonc's own helpers (findNodeAtLocation, findNodeAtOffset, getNodePath) and `===` work on them.
 * Built only for text that parsed: broken text keeps jsonc's tolerant tree.
 */
export class OffsetIndex {
  private kind: Uint8Array;
  private offset: Int32Array;
  private length: Int32Array;
  private parentOf: Int32Array;
  private firstChild: Int32Array;
  private nextSibling: Int32Array;
  private count = 0;
  private readonly views = new Map<number, Node>();
  /** Children of big containers, kept once asked for: declarations are looked up by index, one by one. */
  private readonly bigChildren = new Map<number, number[]>();
  private readonly bigKeys = new Map<number, Map<string, number>>();

  private constructor(
    readonly text: string,
    capacity: number,
  ) {
    this.kind = new Uint8Array(capacity);
    this.offset = new Int32Array(capacity);
    this.length = new Int32Array(capacity);
    this.parentOf = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
  }

  /** The index of a JSON-with-comments text; undefined when it holds no value. */
  static build(text: string): OffsetIndex | undefined {
    const index = new OffsetIndex(text, Math.max(64, text.length >> 4));
    const lastChild: number[] = [];
    let parent = NONE;
    const add = (kind: number, offset: number, length: number): number => {
      const id = index.push(kind, offset, length, parent);
      if (parent !== NONE) {
        const previous = lastChild[parent];
        if (previous === NONE) index.firstChild[parent] = id;
        else index.nextSibling[previous] = id;
        lastChild[parent] = id;
      }
      lastChild[id] = NONE;
      return id;
    };
    // A property ends with its value: close it once the value is complete.
    const closeProperty = (end: number) => {
      if (parent !== NONE && index.kind[parent] === PROPERTY) {
        index.length[parent] = end - index.offset[parent];
        parent = index.parentOf[parent];
      }
    };
    visit(
      text,
      {
        onObjectBegin: (offset) => {
          parent = add(OBJECT, offset, 0);
        },
        onObjectProperty: (_name, offset, length) => {
          parent = add(PROPERTY, offset, 0);
          add(STRING, offset, length);
        },
        onObjectEnd: (offset, length) => {
          closeProperty(offset + length);
          index.length[parent] = offset + length - index.offset[parent];
          parent = index.parentOf[parent];
          closeProperty(offset + length);
        },
        onArrayBegin: (offset) => {
          parent = add(ARRAY, offset, 0);
        },
        onArrayEnd: (offset, length) => {
          index.length[parent] = offset + length - index.offset[parent];
          parent = index.parentOf[parent];
          closeProperty(offset + length);
        },
        onLiteralValue: (value: unknown, offset, length) => {
          add(KINDS.indexOf(value === null ? 'null' : (typeof value as NodeType)), offset, length);
          closeProperty(offset + length);
        },
      },
      { allowTrailingComma: false, disallowComments: false },
    );
    if (index.count === 0) return undefined;
    index.resize(index.count);
    return index;
  }

  /**
   * The index of `text`, an edit of this index's text, without a new parse when the edit stays inside one
   * string's content (typing in a value or a key: the usual edit): offsets after it shift, the lengths of the
   * string and its containers change. Undefined when the edit may change the structure; the caller builds anew.
   */
  afterEdit(text: string): OffsetIndex | undefined {
    return this.applyEdit(text)?.index;
  }

  /** Like afterEdit, for an edit inside one string: the new index and that string's id. */
  editInsideString(text: string): { index: OffsetIndex; token: number } | undefined {
    const edit = this.applyEdit(text);
    return edit?.token === undefined ? undefined : { index: edit.index, token: edit.token };
  }

  private applyEdit(text: string): { index: OffsetIndex; token?: number } | undefined {
    const before = this.text;
    const start = commonPrefix(before, text);
    const same = commonSuffix(before, text, Math.min(before.length, text.length) - start);
    const oldEnd = before.length - same;
    const newEnd = text.length - same;
    const token = before === text ? undefined : this.stringHolding(start, oldEnd);
    if (before !== text) {
      if (token === undefined) return undefined;
      const tokenText = before.slice(this.offset[token], this.offset[token] + this.length[token]);
      // A quote, backslash or control character typed (or an escape edited) can change the tokens.
      if (tokenText.includes('\\') || mayChangeTokens(text, start, newEnd)) return undefined;
    }
    const delta = newEnd - oldEnd;
    const index = new OffsetIndex(text, this.count);
    index.count = this.count;
    index.kind.set(this.kind);
    index.offset.set(this.offset);
    index.length.set(this.length);
    index.parentOf.set(this.parentOf);
    index.firstChild.set(this.firstChild);
    index.nextSibling.set(this.nextSibling);
    if (token === undefined) return { index };
    // Offsets grow with the id (nodes are added in text order): the ones after the edit are a tail.
    for (let id = this.firstAtOrAfter(oldEnd); id < this.count; id++) index.offset[id] += delta;
    // No node starts or ends inside a string's content: the string and its containers span the edit.
    for (let id = token; id !== NONE; id = this.parentOf[id]) index.length[id] += delta;
    return { index, token };
  }

  /**
   * The path of a value (not a key); undefined when a key on the way appears twice in its object (JSON.parse
   * keeps the last, a path names the first) or `id` is a key.
   */
  valuePathOf(id: number): (string | number)[] | undefined {
    const path: (string | number)[] = [];
    for (let at = id; this.parentOf[at] !== NONE;) {
      const parent = this.parentOf[at];
      if (this.kind[parent] === ARRAY) {
        let position = 0;
        for (let child = this.firstChild[parent]; child !== at; child = this.nextSibling[child]) position++;
        path.push(position);
        at = parent;
        continue;
      }
      const key = this.firstChild[parent];
      if (key === at) return undefined;
      const name = String(this.valueOf(key));
      let seen = 0;
      const object = this.parentOf[parent];
      for (let property = this.firstChild[object]; property !== NONE; property = this.nextSibling[property])
        if (this.keyIs(this.firstChild[property], name)) seen++;
      if (seen !== 1) return undefined;
      path.push(name);
      at = object;
    }
    return path.reverse();
  }

  /** The first id whose offset is at least `offset` (count when none is). */
  private firstAtOrAfter(offset: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.offset[middle] < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The string node whose content (between its quotes) holds [start, end], if one does. */
  private stringHolding(start: number, end: number): number | undefined {
    let at = 0;
    for (;;) {
      const offset = this.offset[at];
      if (start < offset || end > offset + this.length[at]) return undefined;
      if (this.kind[at] === STRING) return start > offset && end < offset + this.length[at] ? at : undefined;
      let inside = NONE;
      for (let child = this.firstChild[at]; child !== NONE; child = this.nextSibling[child]) {
        if (this.offset[child] <= start && end <= this.offset[child] + this.length[child]) {
          inside = child;
          break;
        }
        if (this.offset[child] > start) break;
      }
      if (inside === NONE) return undefined;
      at = inside;
    }
  }

  private push(kind: number, offset: number, length: number, parent: number): number {
    if (this.count === this.kind.length) this.grow();
    const id = this.count++;
    this.kind[id] = kind;
    this.offset[id] = offset;
    this.length[id] = length;
    this.parentOf[id] = parent;
    this.firstChild[id] = NONE;
    this.nextSibling[id] = NONE;
    return id;
  }

  private grow(): void {
    this.resize(this.kind.length * 2);
  }

  private resize(size: number): void {
    const copy = <T extends Uint8Array | Int32Array>(from: T, to: T): T => {
      to.set(from.subarray(0, Math.min(from.length, size)));
      return to;
    };
    this.kind = copy(this.kind, new Uint8Array(size));
    this.offset = copy(this.offset, new Int32Array(size));
    this.length = copy(this.length, new Int32Array(size));
    this.parentOf = copy(this.parentOf, new Int32Array(size));
    this.firstChild = copy(this.firstChild, new Int32Array(size));
    this.nextSibling = copy(this.nextSibling, new Int32Array(size));
  }

  get root(): Node {
    return this.node(0);
  }

  /** The jsonc-parser view of node `id`, the same object every time. */
  node(id: number): Node {
    let view = this.views.get(id);
    if (!view) {
      view = new IndexedNode(this, id);
      this.views.set(id, view);
    }
    return view;
  }

  kindOf(id: number): NodeType {
    return KINDS[this.kind[id]];
  }

  offsetOf(id: number): number {
    return this.offset[id];
  }

  lengthOf(id: number): number {
    return this.length[id];
  }

  parentIdOf(id: number): number {
    return this.parentOf[id];
  }

  childIds(id: number): number[] {
    const cached = this.bigChildren.get(id);
    if (cached) return cached;
    const ids: number[] = [];
    for (let child = this.firstChild[id]; child !== NONE; child = this.nextSibling[child]) ids.push(child);
    if (ids.length > BIG) this.bigChildren.set(id, ids);
    return ids;
  }

  /** The id of the value at `path` under `from` (jsonc's findNodeAtLocation, without making nodes). */
  find(path: readonly (string | number)[], from = 0): number | undefined {
    let at = from;
    for (const segment of path) {
      const kind = this.kind[at];
      if (typeof segment === 'number') {
        if (kind !== ARRAY) return undefined;
        const child = this.elementId(at, segment);
        if (child === undefined) return undefined;
        at = child;
      } else {
        if (kind !== OBJECT) return undefined;
        const value = this.propertyValueId(at, segment);
        if (value === undefined) return undefined;
        at = value;
      }
    }
    return at;
  }

  private elementId(array: number, index: number): number | undefined {
    const cached = this.bigChildren.get(array);
    if (cached) return cached[index];
    let count = 0;
    let found: number | undefined;
    for (let child = this.firstChild[array]; child !== NONE; child = this.nextSibling[child]) {
      if (count === index) found = child;
      count++;
    }
    if (count > BIG) this.childIds(array);
    return found;
  }

  /** The key of the property whose value is `id`; undefined for array elements and the root. */
  keyIdOf(id: number): number | undefined {
    const property = this.parentOf[id];
    return property !== NONE && this.kind[property] === PROPERTY ? this.firstChild[property] : undefined;
  }

  private propertyValueId(object: number, name: string): number | undefined {
    const keys = this.bigKeys.get(object);
    if (keys) return keys.get(name);
    let count = 0;
    let match: number | undefined;
    for (let property = this.firstChild[object]; property !== NONE; property = this.nextSibling[property]) {
      count++;
      const key = this.firstChild[property];
      const value = key === NONE ? NONE : this.nextSibling[key];
      // The first, as findNodeAtLocation answers.
      if (match === undefined && value !== NONE && this.keyIs(key, name)) match = value;
    }
    if (count > BIG) this.bigKeys.set(object, this.keyMap(object));
    return match;
  }

  /** Whether key node `key` spells `name`: compared in the text, without making a string, unless it holds escapes. */
  private keyIs(key: number, name: string): boolean {
    const start = this.offset[key] + 1;
    const end = start + this.length[key] - 2;
    for (let at = start; at < end; at++)
      if (this.text.charCodeAt(at) === 92 /* \\ */) return this.valueOf(key) === name;
    return end - start === name.length && this.text.startsWith(name, start);
  }

  private keyMap(object: number): Map<string, number> {
    const found = new Map<string, number>();
    for (let property = this.firstChild[object]; property !== NONE; property = this.nextSibling[property]) {
      const key = this.firstChild[property];
      const value = key === NONE ? NONE : this.nextSibling[key];
      if (value === NONE) continue;
      const keyName = String(this.valueOf(key));
      if (!found.has(keyName)) found.set(keyName, value);
    }
    return found;
  }

  /** A scalar's value (a key's name for a property's first child), read from the text. */
  valueOf(id: number): unknown {
    const kind = this.kind[id];
    if (kind === OBJECT || kind === ARRAY || kind === PROPERTY) return undefined;
    const raw = this.text.slice(this.offset[id], this.offset[id] + this.length[id]);
    return kind === STRING && !raw.includes('\\') ? raw.slice(1, -1) : JSON.parse(raw);
  }

  /** The id of `node` when it is one of this index's views. */
  idOf(node: Node): number | undefined {
    return node instanceof IndexedNode && node.index === this ? node.id : undefined;
  }
}

/** Whether text[start, end) holds a quote, a backslash or a control character. */
function mayChangeTokens(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code < 0x20 || code === 0x22 || code === 0x5c) return true;
  }
  return false;
}

/** Compared a block at a time (native string comparison), then a character at a time. */
const BLOCK = 4096;

function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let at = 0;
  while (at + BLOCK <= limit && a.substring(at, at + BLOCK) === b.substring(at, at + BLOCK)) at += BLOCK;
  while (at < limit && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** How many characters `a` and `b` share at their ends, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let same = 0;
  while (
    same + BLOCK <= limit &&
    a.substring(a.length - same - BLOCK, a.length - same) === b.substring(b.length - same - BLOCK, b.length - same)
  )
    same += BLOCK;
  while (same < limit && a.charCodeAt(a.length - 1 - same) === b.charCodeAt(b.length - 1 - same)) same++;
  return same;
}

/** jsonc-parser's `Node`, read from an OffsetIndex. */
class IndexedNode implements Node {
  constructor(
    readonly index: OffsetIndex,
    readonly id: number,
  ) {}

  get type(): NodeType {
    return this.index.kindOf(this.id);
  }

  get offset(): number {
    return this.index.offsetOf(this.id);
  }

  get length(): number {
    return this.index.lengthOf(this.id);
  }

  get value(): unknown {
    return this.index.valueOf(this.id);
  }

  get parent(): Node | undefined {
    const parent = this.index.parentIdOf(this.id);
    return parent === NONE ? undefined : this.index.node(parent);
  }

  get children(): Node[] | undefined {
    const type = this.type;
    if (type !== 'object' && type !== 'array' && type !== 'property') return undefined;
    return this.index.childIds(this.id).map((child) => this.index.node(child));
  }
}
