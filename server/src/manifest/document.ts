import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex, type Span } from './text';

/** Deeper than any real manifest; past it we stop before recursive code (parser, ajv) can overflow the stack. */
export const MAX_NESTING = 128;

export interface SyntaxProblem extends Span {
  message: string;
}

/** One manifest's text, parsed once and shared by every analysis. */
export interface ManifestDocument {
  readonly text: string;
  readonly lines: LineIndex;
  /** Undefined when the text is empty or too deeply nested to walk safely. */
  readonly root: Node | undefined;
  /** The JSON value of `root`: what the schema validates. */
  readonly value: unknown;
  readonly syntaxProblems: SyntaxProblem[];
  /** Set when nesting passed MAX_NESTING: analysis beyond syntax is skipped. */
  readonly tooDeep: boolean;
}

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

/** The JSON value: native JSON.parse where the text is valid JSON once comments are out, else jsonc's tolerant reading. */
function valueOf(text: string, root: Node | undefined, errorCount: number, comments: Span[]): unknown {
  if (!root) return undefined;
  if (errorCount === 0) {
    try {
      if (comments.length === 0) return JSON.parse(text);
      let stripped = '';
      let from = 0;
      for (const comment of comments) {
        stripped += text.slice(from, comment.start);
        from = comment.end;
      }
      return JSON.parse(stripped + text.slice(from));
    } catch {
      // fall through: the tolerant reader below agrees with the tree
    }
  }
  return getNodeValue(root);
}

function describeParseError(error: ParseError): string {
  switch (printParseErrorCode(error.error)) {
    case 'InvalidSymbol': return 'Invalid symbol: this is not JSON.';
    case 'InvalidNumberFormat': return 'Invalid number.';
    case 'PropertyNameExpected': return 'A property name in double quotes is expected.';
    case 'ValueExpected': return 'A value is expected.';
    case 'ColonExpected': return 'A colon is expected after the property name.';
    case 'CommaExpected': return 'A comma is expected.';
    case 'CloseBraceExpected': return 'A closing brace `}` is expected.';
    case 'CloseBracketExpected': return 'A closing bracket `]` is expected.';
    case 'EndOfFileExpected': return 'Unexpected text after the end of the manifest.';
    case 'InvalidCommentToken': return 'Invalid comment.';
    case 'UnexpectedEndOfComment': return 'The comment is not closed.';
    case 'UnexpectedEndOfString': return 'The string is not closed.';
    case 'UnexpectedEndOfNumber': return 'The number is incomplete.';
    case 'InvalidUnicode': return 'Invalid unicode escape.';
    case 'InvalidEscapeCharacter': return 'Invalid escape character in string.';
    case 'InvalidCharacter': return 'Invalid character in string (control characters must be escaped).';
    default: return 'Invalid JSON.';
  }
}

export function parseManifest(text: string): ManifestDocument {
  const lines = new LineIndex(text);
  const { tooDeepAt, comments } = skim(text, MAX_NESTING);
  if (tooDeepAt) {
    return {
      text, lines, root: undefined, value: undefined, tooDeep: true,
      syntaxProblems: [{ ...tooDeepAt, message: `Nesting deeper than ${MAX_NESTING} levels: the manifest is not checked further until this is fixed.` }],
    };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  const syntaxProblems = errors.map((e) => ({ start: e.offset, end: e.offset + Math.max(e.length, 1), message: describeParseError(e) }));
  if (root === undefined && text.trim() === '') {
    syntaxProblems.push({ start: 0, end: 0, message: 'The manifest is empty: it must be a JSON object.' });
  }
  return { text, lines, root, value: valueOf(text, root, errors.length, comments), syntaxProblems, tooDeep: false };
}
