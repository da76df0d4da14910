import { createScanner, SyntaxKind } from 'jsonc-parser';
import { FoldingRangeKind, getLanguageService, type LanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FoldingRange, Position, Range, SelectionRange, TextEdit } from 'vscode-languageserver-types';
import { ownIndentation } from '../base/jsonEdits';

/**
 * What VS Code's JSON support gives every .json file, for manifests too (they have their own language id):
 * formatting, folding and selection ranges, from vscode-json-languageservice, the library that support uses.
 */
export class JsonStructure {
  private service: LanguageService | undefined;

  private json(): LanguageService {
    this.service ??= getLanguageService({});
    return this.service;
  }

  private document(uri: string, text: string): TextDocument {
    return TextDocument.create(uri, 'jsonc', 0, text);
  }

  /**
   * Format Document and Format Selection, as VS Code formats JSON: comments kept, indentation as the
   * manifest consistently indents already, else the editor's setting (pasted text).
   */
  format(
    uri: string,
    text: string,
    range: Range | undefined,
    editor: { tabSize: number; insertSpaces: boolean },
  ): TextEdit[] {
    const own = ownIndentation(text);
    return this.json().format(this.document(uri, text), range, {
      tabSize: own?.tabSize ?? editor.tabSize,
      insertSpaces: own?.insertSpaces ?? editor.insertSpaces,
      insertFinalNewline: text.endsWith('\n'),
      keepLines: false,
    });
  }

  /** Objects, arrays, block comments and runs of `//` lines fold; not indentation. */
  foldingRanges(uri: string, text: string): FoldingRange[] {
    const document = this.document(uri, text);
    const ranges = this.json().getFoldingRanges(document, { rangeLimit: 5000 });
    return [...ranges, ...lineCommentRuns(text, document)].sort((a, b) => a.startLine - b.startLine);
  }

  /** Expand Selection follows the JSON: string, property, object, and out. */
  selectionRanges(uri: string, text: string, positions: Position[]): SelectionRange[] {
    const document = this.document(uri, text);
    return this.json().getSelectionRanges(document, positions, this.json().parseJSONDocument(document));
  }
}

/** Two or more `//` comment lines in a row (a manifest's header note) fold as one comment. */
function lineCommentRuns(text: string, document: TextDocument): FoldingRange[] {
  const lines: number[] = [];
  const scanner = createScanner(text, false);
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.LineCommentTrivia) lines.push(document.positionAt(scanner.getTokenOffset()).line);
  }
  const runs: FoldingRange[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j++;
    if (j > i) runs.push({ startLine: lines[i], endLine: lines[j], kind: FoldingRangeKind.Comment });
    i = j + 1;
  }
  return runs;
}
