import { createScanner, getNodeValue, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
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

/** Finds the first place nesting passes `limit`, with the scanner (iterative, never recursive). */
function findExcessiveNesting(text: string, limit: number): Span | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      depth++;
      if (depth > limit) {
        const start = scanner.getTokenOffset();
        return { start, end: start + 1 };
      }
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
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
  const tooDeepAt = findExcessiveNesting(text, MAX_NESTING);
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
  return { text, lines, root, value: root ? getNodeValue(root) : undefined, syntaxProblems, tooDeep: false };
}
