import * as path from 'path';
import { fileURLToPath } from 'url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  MarkupKind,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { analyzeManifest, type ManifestAnalysis } from './analysis';
import { codeActions, resolveCodeAction } from './codeActions';
import { completeVariables, describeVariableItem } from './completions/variableCompletion';
import type { FileAccess, ManifestDiagnostic, Severity } from './diagnostics/types';
import { hoverSchema } from './hover/schemaHover';
import { hoverVariable } from './hover/variableHover';
import type { LineIndex } from './manifest/text';
import type { VariablesTable } from './manifest/variablesTable';
import { findDefinition, findReferences, prepareRename, renameVariable } from './navigation/variables';
import { codeLenses } from './navigation/codeLenses';
import { documentSymbols } from './navigation/symbols';
import { SchemaAssist } from './schemaService';
import { previewModel } from './preview/model';
import type { PreviewAnswer } from './protocol';
import type { Edit, JSONPath } from 'jsonc-parser';

/** What a lazily returned code action carries, to be resolved against the same document version. */
export interface CodeActionData {
  uri: string;
  version: number;
  key: string;
}

export interface ManifestText {
  uri: string;
  version: number;
  text: string;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Our diagnostic shape as LSP's; for manifests and templates alike. */
export function toLspDiagnostic(lines: LineIndex, d: ManifestDiagnostic): Diagnostic {
  return {
    range: lines.rangeOf(d),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'amplitude',
    message: d.message,
    tags: d.unnecessary ? [DiagnosticTag.Unnecessary] : undefined,
  };
}

export interface LanguageServiceOptions {
  files?: FileAccess;
  /** Workspace folders (file paths): referenced files must stay inside the one holding the manifest. */
  workspaceFolders?: () => string[];
}

/** Manifest features over plain text and LSP types; knows nothing of the connection. */
export class ManifestLanguageService {
  private readonly analyses = new Map<string, { version: number; analysis: ManifestAnalysis }>();
  /** Created on the first key completion: keeps the server's start (and the extension's activation) short. */
  private schemaAssist: SchemaAssist | undefined;

  constructor(private readonly options: LanguageServiceOptions = {}) {}

  /** One analysis per document version, shared by every request. */
  analyze(document: ManifestText): ManifestAnalysis {
    const cached = this.analyses.get(document.uri);
    if (cached && cached.version === document.version) return cached.analysis;
    const filePath = document.uri.startsWith('file:') ? fileURLToPath(document.uri) : undefined;
    const baseDir = filePath ? path.dirname(filePath) : undefined;
    const rootDir = filePath
      ? this.options
          .workspaceFolders?.()
          .filter((f) => !path.relative(f, filePath).startsWith('..'))
          .sort((a, b) => b.length - a.length)[0]
      : undefined;
    const analysis = analyzeManifest(document.text, { baseDir, rootDir, files: this.options.files });
    this.analyses.set(document.uri, { version: document.version, analysis });
    return analysis;
  }

  forget(uri: string): void {
    this.analyses.delete(uri);
  }

  /** Re-analyse on next use (a referenced file changed on disk). */
  invalidateAll(): void {
    this.analyses.clear();
  }

  toDiagnostic(analysis: ManifestAnalysis, d: ManifestDiagnostic): Diagnostic {
    return toLspDiagnostic(analysis.doc.lines, d);
  }

  diagnostics(document: ManifestText): Diagnostic[] {
    const analysis = this.analyze(document);
    return analysis.diagnostics.map((d) => this.toDiagnostic(analysis, d));
  }

  /**
   * `itemDefaults`: the client takes `itemDefaults.editRange` (LSP 3.17, VS Code does); otherwise every
   * item gets its own textEdit.
   */
  async complete(document: ManifestText, position: Position, itemDefaults = false): Promise<CompletionList> {
    const analysis = this.analyze(document);
    const variables = completeVariables({ analysis, offset: analysis.doc.lines.offsetAt(position) });
    if (variables.exclusive) {
      const range = variables.editRange;
      if (!range) return { isIncomplete: false, items: variables.items };
      if (itemDefaults) return { isIncomplete: false, itemDefaults: { editRange: range }, items: variables.items };
      return {
        isIncomplete: false,
        items: variables.items.map(({ textEditText, ...item }) => ({
          ...item,
          textEdit: { range, newText: textEditText ?? item.label },
        })),
      };
    }
    if (analysis.doc.tooDeep) return { isIncomplete: false, items: [] };
    const fromSchema = (await (this.schemaAssist ??= new SchemaAssist()).complete(
      document.uri,
      document.version,
      document.text,
      position,
    )) ?? { isIncomplete: false, items: [] };
    return { isIncomplete: fromSchema.isIncomplete, items: [...variables.items, ...fromSchema.items] };
  }

  /** Adds the documentation of a `$variable` item (left out of the list itself to keep it small). */
  resolveCompletion(document: ManifestText | undefined, item: CompletionItem): CompletionItem {
    if (!document || !item.label.startsWith('$')) return item;
    const described = describeVariableItem(this.analyze(document), item.label);
    return described
      ? {
          ...item,
          detail: described.detail,
          documentation: { kind: MarkupKind.Markdown, value: described.documentation },
        }
      : item;
  }

  async hover(document: ManifestText, position: Position): Promise<Hover | null> {
    const analysis = this.analyze(document);
    const variable = hoverVariable(analysis, analysis.doc.lines.offsetAt(position));
    const found =
      variable ?? (analysis.doc.tooDeep ? undefined : hoverSchema(analysis, analysis.doc.lines.offsetAt(position)));
    return found
      ? {
          contents: { kind: MarkupKind.Markdown, value: found.markdown },
          range: analysis.doc.lines.rangeOf(found.span),
        }
      : null;
  }

  /**
   * Quick fixes and refactorings under the selection. With `lazy` (the client resolves code actions, as
   * VS Code does) no edit is computed here: each action carries `data` for codeAction/resolve.
   */
  codeActions(document: ManifestText, range: Range, lazy = false): CodeAction[] {
    const analysis = this.analyze(document);
    const lines = analysis.doc.lines;
    const selection = { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) };
    return codeActions(analysis, selection).map((action) => {
      const shown: CodeAction = {
        title: action.title,
        kind: action.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
        isPreferred: action.preferred,
        diagnostics: action.diagnostic ? [this.toDiagnostic(analysis, action.diagnostic)] : undefined,
      };
      if (lazy) shown.data = { uri: document.uri, version: document.version, key: action.key } satisfies CodeActionData;
      else shown.edit = this.workspaceEdit(document.uri, lines, action.edits());
      return shown;
    });
  }

  /** The edit of an action from codeActions(lazy), if its document is still at that version. */
  resolveCodeAction(document: ManifestText | undefined, action: CodeAction): CodeAction {
    const data = action.data as Partial<CodeActionData> | undefined;
    if (
      !document ||
      !data ||
      data.uri !== document.uri ||
      data.version !== document.version ||
      typeof data.key !== 'string'
    ) {
      return action;
    }
    const analysis = this.analyze(document);
    const edits = resolveCodeAction(analysis, data.key);
    return edits ? { ...action, edit: this.workspaceEdit(document.uri, analysis.doc.lines, edits) } : action;
  }

  private workspaceEdit(uri: string, lines: LineIndex, edits: Edit[]): WorkspaceEdit {
    return {
      changes: {
        [uri]: edits.map((e): TextEdit => ({
          range: lines.rangeOf({ start: e.offset, end: e.offset + e.length }),
          newText: e.content,
        })),
      },
    };
  }

  definition(document: ManifestText, position: Position): Location | null {
    const analysis = this.analyze(document);
    const span = findDefinition(analysis, analysis.doc.lines.offsetAt(position));
    return span ? { uri: document.uri, range: analysis.doc.lines.rangeOf(span) } : null;
  }

  references(document: ManifestText, position: Position, includeDeclaration: boolean): Location[] {
    const analysis = this.analyze(document);
    return findReferences(analysis, analysis.doc.lines.offsetAt(position), includeDeclaration).map((span) => ({
      uri: document.uri,
      range: analysis.doc.lines.rangeOf(span),
    }));
  }

  /** Throws RenameRefusal with a message for the user when the target cannot be renamed. */
  prepareRename(document: ManifestText, position: Position): { range: Range; placeholder: string } {
    const analysis = this.analyze(document);
    const { span, placeholder } = prepareRename(analysis, analysis.doc.lines.offsetAt(position));
    return { range: analysis.doc.lines.rangeOf(span), placeholder };
  }

  rename(document: ManifestText, position: Position, newName: string): WorkspaceEdit {
    const analysis = this.analyze(document);
    const edits = renameVariable(analysis, analysis.doc.lines.offsetAt(position), newName);
    return {
      changes: {
        [document.uri]: edits.map((e) => ({ range: analysis.doc.lines.rangeOf(e.span), newText: e.newText })),
      },
    };
  }

  codeLenses(document: ManifestText): CodeLens[] {
    return codeLenses(this.analyze(document), document.uri);
  }

  documentSymbols(document: ManifestText): DocumentSymbol[] {
    return documentSymbols(this.analyze(document));
  }

  variables(document: ManifestText): VariablesTable {
    return this.analyze(document).variables();
  }

  preview(document: ManifestText): PreviewAnswer {
    const analysis = this.analyze(document);
    const broken = analysis.doc.syntaxProblems.length > 0 || analysis.model.kind === undefined;
    const errors = analysis.diagnostics
      .filter((d) => d.severity === 'error')
      .slice(0, 5)
      .map((d) => `Line ${analysis.doc.lines.positionAt(d.start).line + 1}: ${d.message}`);
    return { model: previewModel(analysis), broken, errors };
  }

  locate(document: ManifestText, path: JSONPath): Range {
    const analysis = this.analyze(document);
    return analysis.doc.lines.rangeOf(analysis.doc.spanAt(path));
  }
}
