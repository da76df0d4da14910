import {
  findNodeAtLocation,
  getNodeValue,
  parseTree,
  printParseErrorCode,
  type JSONPath,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { OffsetIndex } from './offsetIndex';
import { LineIndex, type Span } from '../base/text';

/** Deeper than any real manifest; past it we stop before recursive code (parser, ajv) can overflow the stack. */
export const MAX_NESTING = 128;

export interface SyntaxProblem extends Span {
  message: string;
}

/**
 * One manifest's text, shared by every analysis. The value comes first (native JSON.parse when the
 * text is valid); offsets are indexed only when something needs a position: a clean manifest is
 * checked without them. Valid text gets a compact OffsetIndex; broken text keeps the tree that
 * jsonc-parser's tolerant parse already built.
 */
export class ManifestDocument {
  private tree: Node | undefined | null = null;
  private offsets: OffsetIndex | undefined;
  private lineIndex: LineIndex | undefined;

  constructor(
    readonly text: string,
    /** What the schema validates; undefined when the text holds no JSON value. */
    readonly value: unknown,
    readonly syntaxProblems: SyntaxProblem[],
    /** Set when nesting passed MAX_NESTING: analysis beyond syntax is skipped. */
    readonly tooDeep: boolean,
    root?: Node,
    /** The offsets of the text this one was edited from (if they were built): reused after a small edit. */
    private previousOffsets?: OffsetIndex,
    offsets?: OffsetIndex,
  ) {
    if (root) this.tree = root;
    this.offsets = offsets;
  }

  /**
   * This document's text after an edit inside one string value (typing), without parsing it again: the value
   * shares all but the path to that string with this one, the offsets are shifted. Undefined for any other
   * edit, or when this document's offsets were never built.
   */
  afterStringEdit(text: string): ManifestDocument | undefined {
    if (!this.offsets || this.syntaxProblems.length > 0 || this.tooDeep) return undefined;
    const edit = this.offsets.editInsideString(text);
    const path = edit && edit.index.kindOf(edit.token) === 'string' ? edit.index.valuePathOf(edit.token) : undefined;
    if (!edit || !path) return undefined;
    const start = edit.index.offsetOf(edit.token) + 1;
    const typed = text.slice(start, start + edit.index.lengthOf(edit.token) - 2);
    const value = withStringAt(this.value, path, typed);
    return value === undefined
      ? undefined
      : new ManifestDocument(text, value, [], false, undefined, undefined, edit.index);
  }

  /** The offsets, when something has needed them already. */
  get builtOffsets(): OffsetIndex | undefined {
    return this.offsets;
  }

  /** The jsonc tree with offsets; undefined when the text is empty or too deeply nested to walk safely. */
  get root(): Node | undefined {
    if (this.tree === null) {
      this.offsets ??= this.tooDeep
        ? undefined
        : (this.previousOffsets?.afterEdit(this.text) ?? OffsetIndex.build(this.text));
      this.tree = this.offsets?.root;
      this.previousOffsets = undefined;
    }
    return this.tree;
  }

  /** The compact index behind `root`, when the text parsed (hot paths walk it by id, without nodes). */
  get offsetIndex(): OffsetIndex | undefined {
    void this.root;
    return this.offsets;
  }

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  nodeAt(path: JSONPath): Node | undefined {
    const root = this.root;
    if (this.offsets) {
      const id = this.offsets.find(path);
      return id === undefined ? undefined : this.offsets.node(id);
    }
    return root ? findNodeAtLocation(root, path) : undefined;
  }

  /** The span of the value at `path`, or of the nearest ancestor that exists. */
  spanAt(path: JSONPath): Span {
    const node = this.deepestNodeOn(path);
    return node ? { start: node.offset, end: node.offset + node.length } : { start: 0, end: 0 };
  }

  /** The node at the longest prefix of `path` that exists: one step per segment (linear in the path). */
  private deepestNodeOn(path: JSONPath): Node | undefined {
    const root = this.root;
    const offsets = this.offsets;
    if (offsets) {
      let at = 0;
      for (const segment of path) {
        const next = offsets.find([segment], at);
        if (next === undefined) break;
        at = next;
      }
      return offsets.node(at);
    }
    let node = root;
    for (const segment of path) {
      const next = node && findNodeAtLocation(node, [segment]);
      if (!next) break;
      node = next;
    }
    return node;
  }

  /** The span of the key of the property at `path` (the value's span for array elements and the root). */
  keySpanAt(path: JSONPath): Span {
    const node = this.nodeAt(path);
    const key = node?.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return key ? { start: key.offset, end: key.offset + key.length } : this.spanAt(path);
  }

  /** The text between the quotes of the key at `path` (the value's content span when it has no key). */
  keyContentSpanAt(path: JSONPath): Span {
    const span = this.keySpanAt(path);
    const node = this.nodeAt(path);
    const isKey = node?.parent?.type === 'property';
    return isKey && span.end - span.start >= 2
      ? { start: span.start + 1, end: span.end - 1 }
      : this.stringContentSpanAt(path);
  }

  /** The text between the quotes of the string at `path`. */
  stringContentSpanAt(path: JSONPath): Span {
    const node = this.nodeAt(path);
    if (node?.type === 'string') return { start: node.offset + 1, end: node.offset + node.length - 1 };
    return this.spanAt(path);
  }
}

/** `value` with the string at `path` replaced; the containers on the path copied, everything else shared. */
function withStringAt(value: unknown, path: readonly (string | number)[], text: string): unknown {
  if (path.length === 0) return typeof value === 'string' ? text : undefined;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number') {
    const inner = withStringAt(value[head], rest, text);
    if (inner === undefined) return undefined;
    const copy = value.slice();
    copy[head] = inner;
    return copy;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && typeof head === 'string') {
    const record = value as Record<string, unknown>;
    if (!Object.hasOwn(record, head)) return undefined;
    const inner = withStringAt(record[head], rest, text);
    return inner === undefined ? undefined : { ...record, [head]: inner };
  }
  return undefined;
}

const PARSE_OPTIONS = { allowTrailingComma: false, disallowComments: false };

interface Skim {
  /** Where nesting first passes the limit. */
  tooDeepAt?: Span;
  /** Comment spans, to hand JSON.parse the same text without them. */
  comments: Span[];
}

/**
 * One fast pass over the raw text (no tokens built): finds excessive nesting before any recursive
 * code (parser, ajv) can overflow the stack, and where the comments are.
 */
function skim(text: string, limit: number): Skim {
  const comments: Span[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let end = text.indexOf('"', i + 1);
      while (end > 0 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (end < 0) break;
      i = end;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      comments.push({ start: i, end: end < 0 ? text.length : end });
      i = end < 0 ? text.length : end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      comments.push({ start: i, end: end < 0 ? text.length : end + 2 });
      i = end < 0 ? text.length : end + 1;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return { tooDeepAt: { start: i, end: i + 1 }, comments };
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return { comments };
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let j = quote - 1; j >= 0 && text.charCodeAt(j) === 92 /* \\ */; j--) backslashes++;
  return backslashes % 2 === 1;
}

/** Native JSON.parse, once comments are blanked out: fast, and exact for the valid text most edits leave. */
function parseValid(text: string, comments: Span[]): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  let source = text;
  if (comments.length > 0) {
    source = '';
    let from = 0;
    for (const comment of comments) {
      source += text.slice(from, comment.start);
      from = comment.end;
    }
    source += text.slice(from);
  }
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch {
    return { ok: false };
  }
}

function describeParseError(error: ParseError): string {
  switch (printParseErrorCode(error.error)) {
    case 'InvalidSymbol':
      return 'Invalid symbol: this is not JSON.';
    case 'InvalidNumberFormat':
      return 'Invalid number.';
    case 'PropertyNameExpected':
      return 'A property name in double quotes is expected.';
    case 'ValueExpected':
      return 'A value is expected.';
    case 'ColonExpected':
      return 'A colon is expected after the property name.';
    case 'CommaExpected':
      return 'A comma is expected.';
    case 'CloseBraceExpected':
      return 'A closing brace `}` is expected.';
    case 'CloseBracketExpected':
      return 'A closing bracket `]` is expected.';
    case 'EndOfFileExpected':
      return 'Unexpected text after the end of the manifest.';
    case 'InvalidCommentToken':
      return 'Invalid comment.';
    case 'UnexpectedEndOfComment':
      return 'The comment is not closed.';
    case 'UnexpectedEndOfString':
      return 'The string is not closed.';
    case 'UnexpectedEndOfNumber':
      return 'The number is incomplete.';
    case 'InvalidUnicode':
      return 'Invalid unicode escape.';
    case 'InvalidEscapeCharacter':
      return 'Invalid escape character in string.';
    case 'InvalidCharacter':
      return 'Invalid character in string (control characters must be escaped).';
    default:
      return 'Invalid JSON.';
  }
}

/** `previous`: the document this text was edited from (the editor's last version), to reuse its offsets. */
export function parseManifest(text: string, previous?: ManifestDocument): ManifestDocument {
  const typed = previous?.afterStringEdit(text);
  if (typed) return typed;
  const { tooDeepAt, comments } = skim(text, MAX_NESTING);
  if (tooDeepAt) {
    return new ManifestDocument(
      text,
      undefined,
      [
        {
          ...tooDeepAt,
          message:
            `Nesting deeper than ${MAX_NESTING} levels: the manifest is not checked further until ` + `this is fixed.`,
        },
      ],
      true,
    );
  }
  const fast = parseValid(text, comments);
  if (fast.ok) return new ManifestDocument(text, fast.value, [], false, undefined, previous?.builtOffsets);
  // Broken text: the tolerant parser tells where, and reads what it can.
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, PARSE_OPTIONS);
  const syntaxProblems = errors.map((e) => ({
    start: e.offset,
    end: e.offset + Math.max(e.length, 1),
    message: describeParseError(e),
  }));
  if (root === undefined && text.trim() === '') {
    syntaxProblems.push({ start: 0, end: 0, message: 'The manifest is empty: it must be a JSON object.' });
  }
  return new ManifestDocument(text, root ? getNodeValue(root) : undefined, syntaxProblems, false, root);
}
