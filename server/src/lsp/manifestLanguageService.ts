import * as path from 'path';
import { pathToFileURL } from 'url';
import { withoutControls } from '../base/terminal';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  MarkupKind,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentLink,
  type DocumentSymbol,
  type FoldingRange,
  type SelectionRange,
  type Hover,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { analyzeManifest, type ManifestAnalysis } from '../analysis';
import { codeActions, resolveCodeAction } from '../language/codeActions';
import { completeVariables, describeVariableItem } from '../language/completion/variables';
import { locateReference, type FileAccess, type FileScope } from '../base/files';
import { codeInfo, docsUrl } from '../diagnostics/codes';
import { documentLinks } from '../language/navigation/links';
import { JsonStructure } from '../language/structure';
import type { ManifestDiagnostic, Severity } from '../base/diagnostic';
import { hoverSchema } from '../language/hover/schema';
import { hoverVariable } from '../language/hover/variables';
import type { LineIndex } from '../base/text';
import type { VariablesTable } from '../manifest/variablesTable';
import { findDefinition, findReferences, prepareRename, renameVariable } from '../language/navigation/variables';
import { codeLenses } from '../language/navigation/codeLenses';
import { documentSymbols } from '../language/navigation/symbols';
import { SchemaAssist } from '../language/completion/schema';
import { previewImages, previewModel } from '../preview/model';
import type { PreviewAnswer } from '../protocol';
import type { Edit, JSONPath } from 'jsonc-parser';
import { filePathOf } from './workspace';
import { ApiDescriptions } from './apiDescriptions';
import { completePayloadKeys, hoverPayloadKey, inPayload } from '../language/payloadKeys';

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

/** Our diagnostic shape as LSP's; for manifests and templates alike. The code links to its documentation. */
export function toLspDiagnostic(lines: LineIndex, d: ManifestDiagnostic): Diagnostic {
  return {
    range: lines.rangeOf(d),
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: codeInfo(d.code) ? { href: docsUrl(d.code) } : undefined,
    source: 'amplitude',
    // Messages quote the manifest: its control and bidi characters are shown escaped in the Problems view.
    message: withoutControls(d.message),
    tags: d.unnecessary ? [DiagnosticTag.Unnecessary] : undefined,
  };
}

export interface LanguageServiceOptions {
  files?: FileAccess;
  /** Where a manifest's files may be read from (its workspace folder). */
  scopeOf?: (file: string) => FileScope;
}

/** What a `$variable` completion item carries, so resolve knows its manifest. */
interface CompletionData {
  uri: string;
}

/** Manifest features over plain text and LSP types; knows nothing of the connection. */
export class ManifestLanguageService {
  private readonly analyses = new Map<string, { version: number; analysis: ManifestAnalysis }>();
  /** Created on the first key completion: keeps the server's start (and the extension's activation) short. */
  private schemaAssist: SchemaAssist | undefined;
  private readonly structure = new JsonStructure();
  /** The API descriptions manifests name, loaded once per version on disk: contract checks, payload keys. */
  readonly descriptions = new ApiDescriptions();

  constructor(private readonly options: LanguageServiceOptions = {}) {}

  /** One analysis per document version, shared by every request. */
  analyze(document: ManifestText): ManifestAnalysis {
    const cached = this.analyses.get(document.uri);
    if (cached && cached.version === document.version) return cached.analysis;
    const scope = this.scopeOf(document.uri);
    const previous = cached?.analysis.doc;
    const analysis = analyzeManifest(document.text, { ...scope, files: this.options.files, previous });
    this.analyses.set(document.uri, { version: document.version, analysis });
    return analysis;
  }

  /** The folders a manifest's files may come from; undefined for an unsaved document. */
  scopeOf(uri: string): FileScope | undefined {
    const file = filePathOf(uri);
    if (!file) return undefined;
    return this.options.scopeOf?.(file) ?? { baseDir: path.dirname(file), rootDir: path.dirname(file) };
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
    const found = completeVariables({ analysis, offset: analysis.doc.lines.offsetAt(position) });
    const data: CompletionData = { uri: document.uri };
    const variables = {
      ...found,
      items: found.items.map((item) => (item.label.startsWith('$') ? { ...item, data } : item)),
    };
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
    const payloadKeys = await this.payloadKeyItems(document, analysis, position);
    if (payloadKeys.length > 0) return { isIncomplete: false, items: [...variables.items, ...payloadKeys] };
    const fromSchema = (await (this.schemaAssist ??= new SchemaAssist()).complete(
      document.uri,
      document.version,
      document.text,
      position,
    )) ?? { isIncomplete: false, items: [] };
    return { isIncomplete: fromSchema.isIncomplete, items: [...variables.items, ...fromSchema.items] };
  }

  /** The description an endpoint's payload is bound to, when the manifest names one and the cursor is in a payload. */
  private async descriptionFor(document: ManifestText, analysis: ManifestAnalysis, offset: number) {
    const scope = this.scopeOf(document.uri);
    if (!scope || !ApiDescriptions.named(analysis) || !inPayload(analysis, offset)) return undefined;
    return this.descriptions.description(analysis, scope);
  }

  /** Keys of the operation's request schema at the cursor (payload or item template). */
  private async payloadKeyItems(
    document: ManifestText,
    analysis: ManifestAnalysis,
    position: Position,
  ): Promise<CompletionItem[]> {
    const offset = analysis.doc.lines.offsetAt(position);
    const description = await this.descriptionFor(document, analysis, offset);
    if (!description) return [];
    return completePayloadKeys(analysis, offset, description).map((item) => ({
      label: item.label,
      kind: CompletionItemKind.Property,
      detail: item.detail,
      documentation: { kind: MarkupKind.Markdown, value: item.documentation },
      sortText: item.sortText,
      textEdit: { range: analysis.doc.lines.rangeOf(item.range), newText: item.newText },
    }));
  }

  /** The manifest a completion item came from (its data). */
  static completionUri(item: CompletionItem): string | undefined {
    const data = item.data as Partial<CompletionData> | undefined;
    return typeof data?.uri === 'string' ? data.uri : undefined;
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

  /** Hover; a payload key of an endpoint bound to the API description waits for the description. */
  hover(document: ManifestText, position: Position): Hover | null | Promise<Hover | null> {
    const analysis = this.analyze(document);
    const offset = analysis.doc.lines.offsetAt(position);
    if (ApiDescriptions.named(analysis) && inPayload(analysis, offset) && !hoverVariable(analysis, offset))
      return this.hoverPayload(document, analysis, offset).then(
        (found) => found ?? this.hoverManifest(analysis, position),
      );
    return this.hoverManifest(analysis, position);
  }

  private async hoverPayload(
    document: ManifestText,
    analysis: ManifestAnalysis,
    offset: number,
  ): Promise<Hover | null> {
    const description = await this.descriptionFor(document, analysis, offset);
    const found = description && hoverPayloadKey(analysis, offset, description);
    return found
      ? {
          contents: { kind: MarkupKind.Markdown, value: found.markdown },
          range: analysis.doc.lines.rangeOf(found.span),
        }
      : null;
  }

  private hoverManifest(analysis: ManifestAnalysis, position: Position): Hover | null {
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
    const images: Record<string, string> = {};
    const scope = this.scopeOf(document.uri);
    for (const reference of previewImages(analysis)) {
      const located = scope ? locateReference(reference, scope) : undefined;
      if (located?.ok) images[reference] = located.path;
    }
    return { model: previewModel(analysis), broken, errors, images };
  }

  format(
    document: ManifestText,
    range: Range | undefined,
    options: { tabSize: number; insertSpaces: boolean },
  ): TextEdit[] {
    return this.structure.format(document.uri, document.text, range, options);
  }

  foldingRanges(document: ManifestText): FoldingRange[] {
    return this.structure.foldingRanges(document.uri, document.text);
  }

  selectionRanges(document: ManifestText, positions: Position[]): SelectionRange[] {
    return this.structure.selectionRanges(document.uri, document.text, positions);
  }

  documentLinks(document: ManifestText): DocumentLink[] {
    const analysis = this.analyze(document);
    return documentLinks(analysis, this.scopeOf(document.uri)).map((link) => ({
      range: analysis.doc.lines.rangeOf(link),
      target: /^https:/.test(link.target) ? link.target : pathToFileURL(link.target).toString(),
      tooltip: link.tooltip,
    }));
  }

  locate(document: ManifestText, path: JSONPath): Range {
    const analysis = this.analyze(document);
    return analysis.doc.lines.rangeOf(analysis.doc.spanAt(path));
  }
}
