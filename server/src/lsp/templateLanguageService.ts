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

  /** Of the quick findings, those to publish before the engine's verdict (TemplateService.earlyDiagnostics). */
  earlyDiagnostics(document: ManifestText, quick: ManifestDiagnostic[]): ManifestDiagnostic[] {
    return this.templates.earlyDiagnostics(filePathOf(document.uri), quick);
  }

  /** The quick findings with the engine's verdict on them, and the engine's own (TemplateService). */
  checkedDiagnostics(document: ManifestText, quick: ManifestDiagnostic[]): Promise<ManifestDiagnostic[]> {
    return this.templates.checkedDiagnostics(filePathOf(document.uri), document.text, quick);
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

  /**
   * Quick fixes for the diagnostics the request names (`context.diagnostics`), each one verified by the engine
   * first (TemplateService.checkedFixes); preferred only when it is its diagnostic's one fix. Without an engine
   * the fixes are offered unchecked, said so in their titles, never preferred.
   */
  async codeActions(document: ManifestText, named: Diagnostic[]): Promise<CodeAction[]> {
    const lines = new LineIndex(document.text);
    const file = filePathOf(document.uri);
    const quick = this.quickDiagnostics(document).filter((d) => d.fixes?.length);
    const same = (a: ManifestDiagnostic, b: ManifestDiagnostic) =>
      a.code === b.code && a.start === b.start && a.end === b.end;
    // The engine's own findings with fixes (on its verdict for this text), where no text finding has the place.
    const engine = this.templates.engineFixable(file, document.text).filter((e) => !quick.some((q) => same(q, e)));
    const asked = [...quick, ...engine]
      .map((d) => ({ d, shown: toLspDiagnostic(lines, d) }))
      .filter(({ shown }) => named.some((n) => n.code === shown.code && sameRange(n.range, shown.range)));
    const actions = await Promise.all(
      asked.map(async ({ d, shown }) => {
        const { fixes, checked } = await this.templates.checkedFixes(file, document.text, d, FIX_BUDGET_MS);
        return fixes.map((fix): CodeAction => ({
          title: checked ? fix.title : `${fix.title} (not checked: the FreeMarker engine is not available)`,
          kind: CodeActionKind.QuickFix,
          isPreferred: checked && fixes.length === 1,
          diagnostics: [shown],
          edit: {
            changes: {
              [document.uri]: fix.edits().map((e) => ({
                range: lines.rangeOf({ start: e.offset, end: e.offset + e.length }),
                newText: e.content,
              })),
            },
          },
        }));
      }),
    );
    return actions.flat();
  }
}

/** How long a code action request waits for the engine's verdict on its fixes; a later request gets it. */
const FIX_BUDGET_MS = 4000;

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
