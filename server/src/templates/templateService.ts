import { ownValue } from '../base/records';
import * as fs from 'fs';
import * as path from 'path';
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import type { ManifestDiagnostic } from '../diagnostics/types';
import { dataModelFor } from '../freemarker/dataModel';
import { FreemarkerWorker, locateEngine, type EngineProblem, type RenderResult } from '../freemarker/engine';
import { SAMPLE_EVENTS } from '../freemarker/sampleEvents';
import { parseManifest } from '../manifest/document';
import type { Span } from '../manifest/text';
import { objectAt, stringAt } from '../manifest/value';
import { BUILTINS, DATA_MODEL_ROOTS, DIRECTIVES, INPUT_FIELDS } from './dataModelDocs';
import { engineChecks, engineUnavailable, inProcessSyntax } from './engineChecks';
import { checkTemplate, templateManifestFrom, type TemplateManifest } from './templateAnalysis';

export interface TemplateServiceOptions {
  workspaceFolders: () => string[];
  /** Text of open documents by file path (newer than the disk). */
  openText: (file: string) => string | undefined;
  workerDir: string;
  jar?: () => string | undefined;
  /** The java command; by default JAVA_HOME's, then the one on PATH. */
  java?: string;
  timeoutMs?: () => number;
  maxHeapMb?: () => number;
}

const SKIPPED = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

/** Event body templates: the manifest that names them, the engine's checks, completion, hover, rendering. */
export class TemplateService {
  private manifests: string[] | undefined;
  /** Manifests read from disk, by path, kept while their modification time stays the same. */
  private readonly onDisk = new Map<string, { mtimeMs: number; value: unknown }>();
  private worker: FreemarkerWorker | EngineProblem | undefined;

  constructor(private readonly options: TemplateServiceOptions) {}

  /** A manifest or template changed on disk: look again next time. */
  invalidate(): void {
    this.manifests = undefined;
    this.onDisk.clear();
  }

  private manifestValue(file: string): unknown {
    const open = this.options.openText(file);
    if (open !== undefined) return parseManifest(open).value;
    try {
      const mtimeMs = fs.statSync(file).mtimeMs;
      const cached = this.onDisk.get(file);
      if (cached?.mtimeMs === mtimeMs) return cached.value;
      const value = parseManifest(fs.readFileSync(file, 'utf8')).value;
      this.onDisk.set(file, { mtimeMs, value });
      return value;
    } catch {
      return undefined;
    }
  }

  private manifestFiles(): string[] {
    if (this.manifests) return this.manifests;
    const found: string[] = [];
    for (const folder of this.options.workspaceFolders()) {
      const pending = [folder];
      while (pending.length > 0 && found.length < 5000) {
        const dir = pending.pop() as string;
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
          continue;
        }
        for (const entry of entries) {
          if (entry.isDirectory() && !SKIPPED.has(entry.name)) pending.push(path.join(dir, entry.name));
          else if (entry.isFile() && entry.name.endsWith('.amplitude.json')) found.push(path.join(dir, entry.name));
        }
      }
    }
    return (this.manifests = found);
  }

  /** The manifest whose request.bodyTemplate is this template, with what it declares. */
  manifestFor(templateFile: string): (TemplateManifest & { value: unknown }) | undefined {
    for (const file of this.manifestFiles()) {
      const value = this.manifestValue(file);
      const body = stringAt(objectAt(value, 'request'), 'bodyTemplate');
      if (body && path.resolve(path.dirname(file), body) === path.resolve(templateFile))
        return { ...templateManifestFrom(path.basename(file), value), value };
    }
    return undefined;
  }

  staticDiagnostics(file: string | undefined, text: string): ManifestDiagnostic[] {
    return checkTemplate(text, file ? this.manifestFor(file) : undefined);
  }

  private engine(): FreemarkerWorker | EngineProblem {
    if (!this.worker) {
      const location = locateEngine({
        workerDir: this.options.workerDir,
        jar: this.options.jar?.() || undefined,
        java: this.options.java,
      });
      this.worker =
        'problem' in location
          ? location
          : new FreemarkerWorker(location, {
              timeoutMs: this.options.timeoutMs?.(),
              maxHeapMb: this.options.maxHeapMb?.(),
            });
    }
    return this.worker;
  }

  /** The engine changed (a setting): start a new one on next use. */
  resetEngine(): void {
    if (this.worker instanceof FreemarkerWorker) this.worker.dispose();
    this.worker = undefined;
  }

  engineVersion(): string | undefined {
    return this.worker instanceof FreemarkerWorker ? this.worker.version : undefined;
  }

  /** The real engine's verdict (see engineChecks), or why there is none. */
  async engineDiagnostics(file: string | undefined, text: string): Promise<ManifestDiagnostic[]> {
    const engine = this.engine();
    if (!(engine instanceof FreemarkerWorker)) return [engineUnavailable(engine), ...inProcessSyntax(text)];
    return engineChecks(
      engine,
      file ? path.basename(file) : 'template.ftl',
      text,
      file ? this.manifestFor(file)?.value : undefined,
    );
  }

  async render(
    file: string | undefined,
    text: string,
    event: Record<string, unknown>,
    parameters: Record<string, string> = {},
  ): Promise<RenderResult & { version?: string }> {
    const engine = this.engine();
    if (!(engine instanceof FreemarkerWorker))
      return {
        ok: false,
        error: { kind: 'engine', message: engine.problem, line: 0, column: 0, endLine: 0, endColumn: 0 },
        ms: 0,
      };
    const manifest = file ? this.manifestFor(file) : undefined;
    const result = await engine.render(
      file ? path.basename(file) : 'template.ftl',
      text,
      dataModelFor(manifest?.value, event, parameters),
    );
    return { ...result, version: engine.version };
  }

  complete(
    file: string | undefined,
    text: string,
    offset: number,
  ): { items: CompletionItem[]; start: number } | undefined {
    const before = text.slice(Math.max(0, offset - 200), offset);
    const item = (label: string, kind: CompletionItemKind, detail: string, doc?: string): CompletionItem => ({
      label,
      kind,
      detail,
      documentation: doc ? { kind: MarkupKind.Markdown, value: doc } : undefined,
    });
    let m = /\binput\.([\w$]*)$/.exec(before);
    if (m)
      return {
        start: offset - m[1].length,
        items: Object.entries(INPUT_FIELDS).map(([name, doc]) =>
          item(name, CompletionItemKind.Field, 'input (the Amplitude event)', doc),
        ),
      };
    m = /\b(parameters|mappedFields)\.(\w*)$/.exec(before);
    if (m) {
      const manifest = file ? this.manifestFor(file) : undefined;
      const names = manifest ? (m[1] === 'parameters' ? manifest.parameters : manifest.mappedFields) : [];
      return {
        start: offset - m[2].length,
        items: names.map((n) =>
          item(
            n,
            CompletionItemKind.Variable,
            `${m?.[1]} · declared in ${manifest?.file}`,
            DATA_MODEL_ROOTS[m?.[1] ?? 'parameters'],
          ),
        ),
      };
    }
    m = /\?([a-z_]*)$/.exec(before);
    if (m)
      return {
        start: offset - m[1].length,
        items: Object.entries(BUILTINS).map(([name, b]) =>
          item(name, CompletionItemKind.Function, b.since ? `built-in, FreeMarker ${b.since}+` : 'built-in', b.doc),
        ),
      };
    m = /<#([a-z]*)$/.exec(before);
    if (m)
      return {
        start: offset - m[1].length,
        items: Object.entries(DIRECTIVES).map(([name, doc]) =>
          item(name, CompletionItemKind.Keyword, 'directive', doc),
        ),
      };
    m = /(?:\$\{|<#\w+\s[^>]*?|[(,\s])([A-Za-z]*)$/.exec(before);
    if (m && /\$\{[^}]*$|<#[^>]*$/.test(before))
      return {
        start: offset - m[1].length,
        items: Object.entries(DATA_MODEL_ROOTS).map(([name, doc]) =>
          item(name, CompletionItemKind.Module, 'Amplitude data model', doc),
        ),
      };
    return undefined;
  }

  hover(file: string | undefined, text: string, offset: number): { markdown: string; span: Span } | undefined {
    let start = offset;
    while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
    let end = offset;
    while (end < text.length && /[\w$]/.test(text[end])) end++;
    if (start === end) return undefined;
    const word = text.slice(start, end);
    const span = { start, end };
    const before = text.slice(Math.max(0, start - 20), start);
    if (/\binput\.$/.test(before) && ownValue(INPUT_FIELDS, word))
      return { span, markdown: `**input.${word}**\n\n${INPUT_FIELDS[word]}` };
    const owner = /\b(parameters|mappedFields)\.$/.exec(before);
    if (owner) {
      const manifest = file ? this.manifestFor(file) : undefined;
      const declared =
        manifest && (owner[1] === 'parameters' ? manifest.parameters : manifest.mappedFields).includes(word);
      return {
        span,
        markdown: `**${owner[1]}.${word}**\n\n${declared ? `Declared in ${manifest?.file}.` : 'Not declared in the manifest.'}\n\n${DATA_MODEL_ROOTS[owner[1]]}`,
      };
    }
    if (before.endsWith('?') && ownValue(BUILTINS, word))
      return {
        span,
        markdown: `**?${word}**${BUILTINS[word].since ? ` (FreeMarker ${BUILTINS[word].since}+)` : ''}\n\n${BUILTINS[word].doc}`,
      };
    if (/<\/?#$/.test(before) && ownValue(DIRECTIVES, word))
      return { span, markdown: `**<#${word}>**\n\n${DIRECTIVES[word]}` };
    if (ownValue(DATA_MODEL_ROOTS, word)) return { span, markdown: `**${word}**\n\n${DATA_MODEL_ROOTS[word]}` };
    return undefined;
  }

  dispose(): void {
    if (this.worker instanceof FreemarkerWorker) this.worker.dispose();
  }
}
