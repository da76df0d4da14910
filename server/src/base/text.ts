import { TextDocument } from 'vscode-languageserver-textdocument';

/** Offsets are what jsonc-parser speaks; line/character is what LSP and the CLI speak. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A span of the manifest text, as offsets. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Offsets to line/character and back, by vscode-languageserver-textdocument (the mapping the LSP libraries
 * use themselves, CRLF and lone CR included). Built once per text; the line table is computed lazily.
 */
export class LineIndex {
  private readonly document: TextDocument;

  constructor(text: string) {
    this.document = TextDocument.create('amplitude:line-index', 'json', 0, text);
  }

  positionAt(offset: number): Position {
    return this.document.positionAt(offset);
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    return this.document.offsetAt(position);
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }
}
