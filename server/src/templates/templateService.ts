import * as fs from 'fs';
import * as path from 'path';
import { decodeText, MAX_MANIFEST_BYTES, readUserFile } from '../base/files';
import { findFiles, MANIFEST_SUFFIX } from '../base/walk';
import type { Fix, ManifestDiagnostic } from '../base/diagnostic';
import { dataModelFor } from '../freemarker/dataModel';
import {
  FreemarkerWorker,
  locateEngine,
  type EngineLocation,
  type EngineProblem,
  type RenderResult,
  type WorkerOptions,
} from '../freemarker/engine';
import { parseManifest } from '../manifest/document';
import { buildModel } from '../manifest/model';
import type { StreamingModel } from '../manifest/streaming';
import { bodyTemplateReference, STREAMING_ROLES } from '../manifest/usage';
import { awaitsEvidence, engineChecks, engineVerdict, withEngineVerdict, withoutEngine } from './engineChecks';
import { FixVerifier } from './fixVerification';
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

/** Event body templates: the manifest that names them, the engine and its checks, rendering. */
export class TemplateService {
  private manifests: string[] | undefined;
  /** Manifests read from disk, by path, kept while their modification time stays the same. */
  private readonly onDisk = new Map<string, { mtimeMs: number; streaming: StreamingModel | undefined }>();
  private worker: FreemarkerWorker | EngineProblem | undefined;
  private readonly fixVerifier = new FixVerifier();
  /** The engine's last findings, by template name and text: their fixes, for the code actions. */
  private lastEngine: { key: string; found: ManifestDiagnostic[] } | undefined;

  constructor(private readonly options: TemplateServiceOptions) {}

  /** A manifest or template changed on disk: look again next time. */
  invalidate(): void {
    this.manifests = undefined;
    this.onDisk.clear();
  }

  /** A manifest's streaming model: its open text, else the disk (read under the file rules, cached by time). */
  private manifestStreaming(file: string): StreamingModel | undefined {
    const open = this.options.openText(file);
    if (open !== undefined) return buildModel(parseManifest(open)).streaming;
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.onDisk.get(file);
    if (cached?.mtimeMs === mtimeMs) return cached.streaming;
    const read = readUserFile(file, MAX_MANIFEST_BYTES);
    const streaming = read.ok ? buildModel(parseManifest(decodeText(read))).streaming : undefined;
    this.onDisk.set(file, { mtimeMs, streaming });
    return streaming;
  }

  /** The workspace's manifests (the walker the CLI uses too), found once until something changes on disk. */
  private manifestFiles(): string[] {
    this.manifests ??= this.options
      .workspaceFolders()
      .flatMap((folder) => findFiles(folder, MANIFEST_SUFFIX, { limit: 5000 }));
    return this.manifests;
  }

  /** The manifest whose request (or identify) bodyTemplate is this template, with what it declares. */
  manifestFor(templateFile: string): (TemplateManifest & { streaming: StreamingModel }) | undefined {
    for (const file of this.manifestFiles()) {
      const streaming = this.manifestStreaming(file);
      if (!streaming) continue;
      for (const role of STREAMING_ROLES) {
        const body = bodyTemplateReference(streaming, role);
        if (body && path.resolve(path.dirname(file), body) === path.resolve(templateFile))
          return { ...templateManifestFrom(path.basename(file), streaming, role), streaming };
      }
    }
    return undefined;
  }

  staticDiagnostics(file: string | undefined, text: string): ManifestDiagnostic[] {
    return checkTemplate(text, file ? this.manifestFor(file) : undefined);
  }

  private workerOptions(): WorkerOptions {
    return { timeoutMs: this.options.timeoutMs?.(), maxHeapMb: this.options.maxHeapMb?.() };
  }

  /** The engine the editor's worker runs, found once, and the settings' options (a replay starts its own). */
  engineSettings(): { engine: EngineLocation | EngineProblem; worker: WorkerOptions } {
    const engine = this.engine();
    return {
      engine: engine instanceof FreemarkerWorker ? engine.engineLocation : engine,
      worker: this.workerOptions(),
    };
  }

  /** The editor's one worker, shared with the contract checks that render streaming bodies. */
  sharedEngine(): FreemarkerWorker | EngineProblem {
    return this.engine();
  }

  private engine(): FreemarkerWorker | EngineProblem {
    if (!this.worker) {
      const location = locateEngine({
        workerDir: this.options.workerDir,
        jar: this.options.jar?.() || undefined,
        java: this.options.java,
      });
      this.worker = 'problem' in location ? location : new FreemarkerWorker(location, this.workerOptions());
    }
    return this.worker;
  }

  /** The engine changed (a setting): start a new one on next use. */
  resetEngine(): void {
    if (this.worker instanceof FreemarkerWorker) this.worker.dispose();
    this.worker = undefined;
  }

  /** The real engine's verdict (see engineChecks), or why there is none. */
  async engineDiagnostics(file: string | undefined, text: string): Promise<ManifestDiagnostic[]> {
    const engine = this.engine();
    if (!(engine instanceof FreemarkerWorker)) return withoutEngine(engine, text);
    const manifest = file ? this.manifestFor(file) : undefined;
    return engineChecks(engine, file ? path.basename(file) : 'template.ftl', text, manifest?.streaming, manifest?.role);
  }

  /**
   * The text checks' findings to show before the engine has spoken: all of them without an engine or a manifest
   * (nothing will defer), else those the evidence cannot drop (awaitsEvidence).
   */
  earlyDiagnostics(file: string | undefined, found: ManifestDiagnostic[]): ManifestDiagnostic[] {
    const evidence = this.engine() instanceof FreemarkerWorker && file !== undefined && this.manifestFor(file);
    return evidence ? found.filter((d) => !awaitsEvidence(d)) : found;
  }

  /**
   * Every finding once the engine has spoken: the text checks' (`found`, staticDiagnostics) deferring to the
   * evidence where it printed the value and saw no fault (withEngineVerdict), then the engine's own.
   */
  async checkedDiagnostics(
    file: string | undefined,
    text: string,
    found: ManifestDiagnostic[],
  ): Promise<ManifestDiagnostic[]> {
    const engine = this.engine();
    if (!(engine instanceof FreemarkerWorker)) return [...found, ...withoutEngine(engine, text)];
    const manifest = file ? this.manifestFor(file) : undefined;
    const name = file ? path.basename(file) : 'template.ftl';
    const verdict = await engineVerdict(engine, name, text, manifest?.streaming, manifest?.role);
    this.lastEngine = { key: `${name}\n${text}`, found: verdict.diagnostics };
    return withEngineVerdict(found, verdict);
  }

  /** The engine's findings with fixes for this text, when its verdict on this very text is in (else none). */
  engineFixable(file: string | undefined, text: string): ManifestDiagnostic[] {
    const key = `${file ? path.basename(file) : 'template.ftl'}\n${text}`;
    return this.lastEngine?.key === key ? this.lastEngine.found.filter((d) => d.fixes?.length) : [];
  }

  /**
   * The quick fixes of `diagnostic` that the engine shows right for every sample event (templates/fixVerification),
   * awaited up to `budgetMs`. Without an engine: every fix, with checked false, for the caller to say so.
   */
  async checkedFixes(
    file: string | undefined,
    text: string,
    diagnostic: ManifestDiagnostic,
    budgetMs: number,
  ): Promise<{ fixes: Fix[]; checked: boolean }> {
    const engine = this.engine();
    if (!(engine instanceof FreemarkerWorker)) return { fixes: diagnostic.fixes ?? [], checked: false };
    const manifest = file ? this.manifestFor(file) : undefined;
    const context = {
      engine,
      name: file ? path.basename(file) : 'template.ftl',
      streaming: manifest?.streaming,
      role: manifest?.role ?? 'events',
      staticDiagnostics: (fixed: string) => this.staticDiagnostics(file, fixed),
    };
    return { fixes: (await this.fixVerifier.verified(context, text, diagnostic, budgetMs)) ?? [], checked: true };
  }

  /** Renders for an event; the data model comes from `streaming`, else from the manifest that names the file. */
  async render(
    file: string | undefined,
    text: string,
    event: Record<string, unknown>,
    parameters: Record<string, string> = {},
    streaming?: StreamingModel,
  ): Promise<RenderResult & { version?: string }> {
    const engine = this.engine();
    if (!(engine instanceof FreemarkerWorker))
      return {
        ok: false,
        error: { kind: 'engine', message: engine.problem, line: 0, column: 0, endLine: 0, endColumn: 0 },
        ms: 0,
      };
    const declared = streaming ?? (file ? this.manifestFor(file)?.streaming : undefined);
    const result = await engine.render(
      file ? path.basename(file) : 'template.ftl',
      text,
      dataModelFor(declared, event, parameters, text),
    );
    return { ...result, version: engine.version };
  }

  dispose(): void {
    if (this.worker instanceof FreemarkerWorker) this.worker.dispose();
  }
}
