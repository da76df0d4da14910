import { pathToFileURL } from 'url';
import { FileChangeType, type FileEvent } from 'vscode-languageserver/node';
import { analyzeManifest } from '../analysis';
import { decodeText, MAX_MANIFEST_BYTES, nodeFiles, readUserFile } from '../base/files';
import { findFilesAsync, inSkippedFolder, MANIFEST_SUFFIX } from '../base/walk';
import { LineIndex } from '../base/text';
import { describe, isTemplate, textOf, type ServerContext } from './context';
import { toLspDiagnostic, type ManifestText } from './manifestLanguageService';
import { ApiDescriptions } from './apiDescriptions';
import type { ManifestAnalysis } from '../analysis';
import type { FileScope } from '../base/files';
import { filePathOf } from './workspace';

/** Most manifests a workspace is searched for: a huge folder opened by mistake stays cheap. */
const WORKSPACE_LIMIT = 1000;
/**
 * How long a template's engine checks wait for typing to stop: short, the evidence renders are batched and a
 * burst of keystrokes keeps resetting it (bench/lsp measures findings after the last keystroke).
 */
const ENGINE_DELAY_MS = 120;

/**
 * Diagnostics: for open documents after each burst of edits (the newest text only); for the workspace's
 * other manifests from disk, when the setting is on, a file at a time so requests keep being answered.
 */
export class Validation {
  private readonly pending = new Set<string>();
  private scheduled = false;
  private readonly engineTimers = new Map<string, NodeJS.Timeout>();
  /** Closed manifests whose problems are published from disk. */
  private readonly fromDisk = new Set<string>();
  private workspacePass = 0;
  /** The workspace's manifests as the last walk found them, kept up to date by file events. */
  private known: Set<string> | undefined;
  private walkWanted = false;
  private recheckWanted = false;
  private passesRunning = false;

  /** The API descriptions manifests name, loaded once per version on disk (shared with completion and hover). */
  private get descriptions(): ApiDescriptions {
    return this.context.manifests.descriptions;
  }

  constructor(private readonly context: ServerContext) {}

  schedule(uri: string): void {
    this.pending.add(uri);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const uris = [...this.pending];
      this.pending.clear();
      for (const uri of uris) this.validateOpen(uri);
    });
  }

  private validateOpen(uri: string): void {
    const document = textOf(this.context, uri);
    if (!document) return;
    try {
      this.fromDisk.delete(uri);
      if (isTemplate(uri)) return this.validateTemplate(uri, document.text, document.version);
      const analysis = this.context.manifests.analyze(document);
      const scope = this.context.manifests.scopeOf(uri);
      if (scope && ApiDescriptions.named(analysis)) return this.validateContract(document, analysis, scope);
      const diagnostics = this.context.manifests.diagnostics(document);
      void this.context.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
    } catch (error) {
      this.context.connection.console.error(`Validation of ${uri} failed: ${describe(error)}`);
    }
  }

  /**
   * A manifest with an API description: its own findings and the contract's in one publication when the
   * description is loaded already; else its own at once and both when the description is ready.
   */
  private validateContract(document: ManifestText, analysis: ManifestAnalysis, scope: FileScope): void {
    const { uri, version } = document;
    const own = this.context.manifests.diagnostics(document);
    let published = false;
    const early = () => {
      if (published) return;
      published = true;
      void this.context.connection.sendDiagnostics({ uri, version, diagnostics: own });
    };
    const engine = () => this.context.templates.sharedEngine();
    this.descriptions.check(analysis, scope, early, engine).then(
      (found) => {
        if (this.context.documents.get(uri)?.version !== version) return;
        const contract = found.map((d) => this.context.manifests.toDiagnostic(analysis, d));
        void this.context.connection.sendDiagnostics({ uri, version, diagnostics: [...own, ...contract] });
      },
      (error: unknown) => {
        early();
        this.context.connection.console.error(`Contract check of ${uri} failed: ${describe(error)}`);
      },
    );
  }

  private validateTemplate(uri: string, text: string, version: number): void {
    const features = this.context.templateFeatures;
    const quick = features.quickDiagnostics({ uri, version, text });
    const early = features.earlyDiagnostics({ uri, version, text }, quick);
    void this.context.connection.sendDiagnostics({ uri, version, diagnostics: features.toLsp(text, early) });
    clearTimeout(this.engineTimers.get(uri));
    const timer = setTimeout(() => {
      this.engineTimers.delete(uri);
      const publish = (all: typeof quick) => {
        if (this.context.documents.get(uri)?.version !== version) return;
        void this.context.connection.sendDiagnostics({ uri, version, diagnostics: features.toLsp(text, all) });
      };
      features.checkedDiagnostics({ uri, version, text }, quick).then(publish, (error: unknown) => {
        this.context.connection.console.error(`Template check of ${uri} failed: ${describe(error)}`);
        publish(quick); // no verdict: the text checks' findings, all of them
      });
    }, ENGINE_DELAY_MS);
    this.engineTimers.set(uri, timer);
  }

  /** A document closed: its problems come from disk now (a manifest, with the setting on), or go. */
  closed(uri: string): void {
    this.context.manifests.forget(uri);
    clearTimeout(this.engineTimers.get(uri));
    const file = filePathOf(uri);
    if (
      file &&
      !isTemplate(uri) &&
      this.context.workspace.settings.workspaceDiagnostics &&
      this.context.workspace.folderOf(file)
    ) {
      this.validateFromDisk(file);
    } else void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** A closed manifest, read from disk under the file rules and analysed like an open one. */
  private validateFromDisk(file: string): void {
    const uri = pathToFileURL(file).toString();
    if (this.context.documents.get(uri)) return;
    const read = readUserFile(file, MAX_MANIFEST_BYTES);
    if (!read.ok) return void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
    const text = decodeText(read);
    const analysis = analyzeManifest(text, { ...this.context.workspace.scopeOf(file), files: nodeFiles });
    const lines = new LineIndex(text);
    this.fromDisk.add(uri);
    void this.context.connection.sendDiagnostics({
      uri,
      diagnostics: analysis.diagnostics.map((d) => toLspDiagnostic(lines, d)),
    });
  }

  /** Every manifest of the workspace that is not open: the folders walked again (start, folders, settings). */
  validateWorkspace(): void {
    this.walkWanted = true;
    ++this.workspacePass;
    void this.runPasses();
  }

  /**
   * One loop does the workspace's work, off the request path: a walk when asked (asynchronous, folder by
   * folder), then the known manifests one per tick. Requests arriving meanwhile only set a flag: a burst of
   * file events is one more pass, never one walk each.
   */
  private async runPasses(): Promise<void> {
    if (this.passesRunning) return;
    this.passesRunning = true;
    try {
      while (this.walkWanted || this.recheckWanted) {
        const walk = this.walkWanted || this.known === undefined;
        this.walkWanted = this.recheckWanted = false;
        if (!this.context.workspace.settings.workspaceDiagnostics) {
          this.clearFromDisk();
          continue;
        }
        if (walk && !(await this.walkWorkspace())) continue;
        await this.validateKnown();
      }
    } catch (error) {
      this.context.connection.console.error(`Workspace validation failed: ${describe(error)}`);
    } finally {
      this.passesRunning = false;
    }
  }

  /** The manifests of every folder; false when a newer walk was asked for meanwhile. */
  private async walkWorkspace(): Promise<boolean> {
    const pass = this.workspacePass;
    const stopped = () => pass !== this.workspacePass;
    const found = new Set<string>();
    for (const folder of this.context.workspace.folders) {
      const files = await findFilesAsync(folder, MANIFEST_SUFFIX, { limit: WORKSPACE_LIMIT, stopped });
      if (!files || stopped()) return false;
      for (const file of files) found.add(file);
    }
    this.known = found;
    return true;
  }

  /** The known manifests from disk, one per tick (requests are answered between). */
  private async validateKnown(): Promise<void> {
    for (const file of [...(this.known ?? [])]) {
      if (this.walkWanted) return;
      try {
        this.validateFromDisk(file);
      } catch (error) {
        this.context.connection.console.error(`Validation of ${file} failed: ${describe(error)}`);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Manifests created or deleted: the known set follows without a walk. */
  private noteManifestEvents(changes: FileEvent[]): void {
    for (const change of changes) {
      const file = filePathOf(change.uri);
      if (!file?.endsWith(MANIFEST_SUFFIX) || !this.known) continue;
      const folder = this.context.workspace.folderOf(file);
      if (change.type === FileChangeType.Deleted) this.known.delete(file);
      else if (folder && !inSkippedFolder(folder, file) && this.known.size < WORKSPACE_LIMIT) this.known.add(file);
    }
  }

  private clearFromDisk(): void {
    for (const uri of this.fromDisk) void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.fromDisk.clear();
  }

  /**
   * Files changed on disk: a logo, template or image can change any manifest's problems. Cheap here (caches
   * dropped, a flag set); the manifests are checked again by the one running pass, not a walk per event.
   */
  filesChanged(changes: FileEvent[]): void {
    this.context.manifests.invalidateAll();
    this.context.templates.invalidate();
    this.descriptions.filesChanged(changes.map((c) => filePathOf(c.uri) ?? ''));
    for (const change of changes) {
      if (change.type === FileChangeType.Deleted && this.fromDisk.delete(change.uri)) {
        void this.context.connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
      }
    }
    this.noteManifestEvents(changes);
    for (const document of this.context.documents.all()) this.schedule(document.uri);
    this.recheckWanted = true;
    void this.runPasses();
  }

  /** Settings or folders changed: everything again. */
  revalidateAll(): void {
    for (const document of this.context.documents.all()) this.schedule(document.uri);
    this.validateWorkspace();
  }
}
