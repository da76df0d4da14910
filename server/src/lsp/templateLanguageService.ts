import {
  CodeActionKind,
  MarkupKind,
  type CodeAction,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import type { ManifestDiagnostic } from '../base/diagnostic';
import { LineIndex } from '../base/text';
import { completeTemplate } from '../language/template/completion';
import { hoverTemplate } from '../language/template/hover';
import type { TemplateService } from '../templates/templateService';
import { toLspDiagnostic, type ManifestText } from './manifestLanguageService';
import { filePathOf } from './workspace';

/** Body template features over LSP types; the templates' own logic lives in templates/ and language/template/. */
export class TemplateLanguageService {
  constructor(private readonly templates: TemplateService) {}

  private manifestOf(uri: string) {
    const file = filePathOf(uri);
    return file ? this.templates.manifestFor(file) : undefined;
  }

  toLsp(text: string, found: ManifestDiagnostic[]): Diagnostic[] {
    const lines = new LineIndex(text);
    return found.map((d) => toLspDiagnostic(lines, d));
  }

  /** The checks that need no engine: at once, on every edit. */
  quickDiagnostics(document: ManifestText): ManifestDiagnostic[] {
    return this.templates.staticDiagnostics(filePathOf(document.uri), document.text);
  }

  /** The engine's checks: syntax, and a render of every sample event. */
  engineDiagnostics(document: ManifestText): Promise<ManifestDiagnostic[]> {
    return this.templates.engineDiagnostics(filePathOf(document.uri), document.text);
  }

  complete(document: ManifestText, position: Position): CompletionList | null {
    const lines = new LineIndex(document.text);
    const found = completeTemplate(document.text, lines.offsetAt(position), this.manifestOf(document.uri));
    if (!found) return null;
    const range = { start: lines.positionAt(found.start), end: position };
    return {
      isIncomplete: false,
      items: found.items.map((item) => ({ ...item, textEdit: { range, newText: item.label } })),
    };
  }

  hover(document: ManifestText, position: Position): Hover | null {
    const lines = new LineIndex(document.text);
    const found = hoverTemplate(document.text, lines.offsetAt(position), this.manifestOf(document.uri));
    return found
      ? { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: lines.rangeOf(found.span) }
      : null;
  }

  /** Quick fixes in a body template (few, small): computed at once. */
  codeActions(document: ManifestText, range: Range): CodeAction[] {
    const lines = new LineIndex(document.text);
    const from = lines.offsetAt(range.start);
    const to = lines.offsetAt(range.end);
    return this.quickDiagnostics(document)
      .filter((d) => d.fixes && d.start <= to && from <= d.end)
      .flatMap((d) =>
        (d.fixes ?? []).map((fix) => ({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: fix.preferred,
          diagnostics: [toLspDiagnostic(lines, d)],
          edit: {
            changes: {
              [document.uri]: fix.edits().map((e) => ({
                range: lines.rangeOf({ start: e.offset, end: e.offset + e.length }),
                newText: e.content,
              })),
            },
          },
        })),
      );
  }
}
