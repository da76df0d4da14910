import { getLanguageService, type LanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FoldingRange, Position, Range, SelectionRange, TextEdit } from 'vscode-languageserver-types';
import { formattingOf } from '../base/jsonEdits';

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
   * Format Document and Format Selection: comments kept, line breaks kept (a one-line option object stays one
   * line), indentation as the manifest already indents (the editor's setting when it cannot tell).
   */
  format(
    uri: string,
    text: string,
    range: Range | undefined,
    editor: { tabSize: number; insertSpaces: boolean },
  ): TextEdit[] {
    const own = /\n([ \t]+)\S/.test(text) ? formattingOf(text) : undefined;
    return this.json().format(this.document(uri, text), range, {
      tabSize: own?.tabSize ?? editor.tabSize,
      insertSpaces: own?.insertSpaces ?? editor.insertSpaces,
      insertFinalNewline: text.endsWith('\n'),
      keepLines: true,
    });
  }

  /** Objects, arrays and multi-line comments fold; not indentation. */
  foldingRanges(uri: string, text: string): FoldingRange[] {
    return this.json().getFoldingRanges(this.document(uri, text), { rangeLimit: 5000 });
  }

  /** Expand Selection follows the JSON: string, property, object, and out. */
  selectionRanges(uri: string, text: string, positions: Position[]): SelectionRange[] {
    const document = this.document(uri, text);
    return this.json().getSelectionRanges(document, positions, this.json().parseJSONDocument(document));
  }
}
