import * as path from 'path';
import { fileURLToPath } from 'url';
import { clampTimeout } from '../base/timeouts';
import { isInside, locateReference, type FileLocation, type FileScope } from '../base/files';

/** The extension's settings the server acts on (`amplitude.*`), applied live when they change. */
export interface ServerSettings {
  freemarkerJar?: string;
  renderTimeoutMs: number;
  maxHeapMb: number;
  /** Problems for every manifest in the workspace, open or not. */
  workspaceDiagnostics: boolean;
}

export const DEFAULT_SETTINGS: ServerSettings = { renderTimeoutMs: 5000, maxHeapMb: 64, workspaceDiagnostics: true };

/**
 * What `amplitude` holds in the client's configuration (initializationOptions or a configuration change);
 * a timeout past MAX_TIMEOUT_MS is clamped and `warn` told (Node's timers would fire it at once).
 */
export function settingsFrom(raw: unknown, warn: (message: string) => void = () => undefined): ServerSettings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const freemarker = (section.freemarker ?? {}) as Record<string, unknown>;
  const diagnostics = (section.diagnostics ?? {}) as Record<string, unknown>;
  const number = (value: unknown, fallback: number) => (typeof value === 'number' && value > 0 ? value : fallback);
  return {
    freemarkerJar: typeof freemarker.jarPath === 'string' && freemarker.jarPath !== '' ? freemarker.jarPath : undefined,
    renderTimeoutMs: settingTimeout(
      number(freemarker.renderTimeoutMs, DEFAULT_SETTINGS.renderTimeoutMs),
      'amplitude.freemarker.renderTimeoutMs',
      warn,
    ),
    maxHeapMb: number(freemarker.maxHeapMb, DEFAULT_SETTINGS.maxHeapMb),
    workspaceDiagnostics: diagnostics.workspace !== false,
  };
}

/** A timeout setting held to MAX_TIMEOUT_MS, the clamp logged. */
export function settingTimeout(ms: number, setting: string, warn: (message: string) => void): number {
  const clamped = clampTimeout(ms, `The setting ${setting}:`);
  if (clamped.warning) warn(clamped.warning);
  return clamped.ms;
}

/**
 * The local path of a `file:` URI, or undefined for any other scheme and for one this platform cannot read
 * as a path: `file://host/share` is a UNC share on Windows, but on Linux and macOS Node refuses a file URI
 * with a host (and the path without it would be another folder), so such a folder or document is skipped.
 */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The workspace folders, the settings, and the one rule for which files the server may read. */
export class WorkspaceState {
  folders: string[] = [];
  settings: ServerSettings = DEFAULT_SETTINGS;

  /** The innermost workspace folder holding `file`. */
  folderOf(file: string): string | undefined {
    return this.folders.filter((f) => isInside(f, file)).sort((a, b) => b.length - a.length)[0];
  }

  /** Where a manifest's references may point: its folder, inside its workspace folder (or its own folder). */
  scopeOf(file: string): FileScope {
    const baseDir = path.dirname(file);
    return { baseDir, rootDir: this.folderOf(file) ?? baseDir };
  }

  /** A file the server may read: inside a workspace folder once links are resolved. */
  workspaceFile(file: string): FileLocation {
    const folder = this.folderOf(file);
    if (!folder) return { ok: false, code: 'outside-workspace', reason: 'is outside the workspace, so it is not read' };
    return locateReference(path.relative(folder, file), { baseDir: folder, rootDir: folder });
  }
}
