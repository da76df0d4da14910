import { pathToFileURL } from 'url';
import { FileChangeType, type FileEvent } from 'vscode-languageserver/node';
import { analyzeManifest } from '../analysis';
import { decodeText, MAX_MANIFEST_BYTES, nodeFiles, readUserFile } from '../base/files';
import { findFiles, MANIFEST_SUFFIX } from '../base/walk';
import { LineIndex } from '../base/text';
import { describe, isTemplate, textOf, type ServerContext } from './context';
import { toLspDiagnostic } from './manifestLanguageService';
import { filePathOf } from './workspace';

/** Most manifests a workspace is searched for: a huge folder opened by mistake stays cheap. */
const WORKSPACE_LIMIT = 1000;
/** How long a template's engine checks wait for typing to stop. */
const ENGINE_DELAY_MS = 400;

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
      const diagnostics = this.context.manifests.diagnostics(document);
      void this.context.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
    } catch (error) {
      this.context.connection.console.error(`Validation of ${uri} failed: ${describe(error)}`);
    }
  }

  private validateTemplate(uri: string, text: string, version: number): void {
    const features = this.context.templateFeatures;
    const quick = features.quickDiagnostics({ uri, version, text });
    void this.context.connection.sendDiagnostics({ uri, version, diagnostics: features.toLsp(text, quick) });
    clearTimeout(this.engineTimers.get(uri));
    const timer = setTimeout(() => {
      this.engineTimers.delete(uri);
      features.engineDiagnostics({ uri, version, text }).then(
        (slow) => {
          if (this.context.documents.get(uri)?.version !== version) return;
          void this.context.connection.sendDiagnostics({
            uri,
            version,
            diagnostics: features.toLsp(text, [...quick, ...slow]),
          });
        },
        (error: unknown) =>
          this.context.connection.console.error(`Template check of ${uri} failed: ${describe(error)}`),
      );
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

  /** Every manifest of the workspace that is not open, one per tick; a newer pass stops an older one. */
  validateWorkspace(): void {
    const pass = ++this.workspacePass;
    if (!this.context.workspace.settings.workspaceDiagnostics) return this.clearFromDisk();
    const files = this.context.workspace.folders.flatMap((folder) =>
      findFiles(folder, MANIFEST_SUFFIX, { limit: WORKSPACE_LIMIT }),
    );
    const step = (index: number): void => {
      if (pass !== this.workspacePass || index >= files.length) return;
      try {
        this.validateFromDisk(files[index]);
      } catch (error) {
        this.context.connection.console.error(`Validation of ${files[index]} failed: ${describe(error)}`);
      }
      setImmediate(() => step(index + 1));
    };
    step(0);
  }

  private clearFromDisk(): void {
    for (const uri of this.fromDisk) void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.fromDisk.clear();
  }

  /** Files changed on disk: a logo, template or image can change any manifest's problems. */
  filesChanged(changes: FileEvent[]): void {
    this.context.manifests.invalidateAll();
    this.context.templates.invalidate();
    for (const change of changes) {
      if (change.type === FileChangeType.Deleted && this.fromDisk.delete(change.uri)) {
        void this.context.connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
      }
    }
    for (const document of this.context.documents.all()) this.schedule(document.uri);
    this.validateWorkspace();
  }

  /** Settings or folders changed: everything again. */
  revalidateAll(): void {
    for (const document of this.context.documents.all()) this.schedule(document.uri);
    this.validateWorkspace();
  }
}
