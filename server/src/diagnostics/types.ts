import type { Edit } from 'jsonc-parser';
import type { ManifestDocument } from '../manifest/document';
import type { ManifestModel } from '../manifest/model';
import type { Span } from '../manifest/text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A suggested fix: text edits (offsets into the manifest), applied together. */
export interface Fix {
  title: string;
  edits: Edit[];
  preferred?: boolean;
}

/** The one shape every check reports in: the server and the CLI both read it. */
export interface ManifestDiagnostic extends Span {
  code: string;
  severity: Severity;
  message: string;
  /** Shown faded in the editor (unused declarations). */
  unnecessary?: boolean;
  /** Computed only when asked (a code action request): an edit can cost a parse of the whole manifest. */
  fixes?: () => Fix[];
}

/** What a check may look at outside the text: files next to the manifest. */
export interface FileAccess {
  /** Undefined when the file does not exist or is not a file. */
  readHead(absolutePath: string, bytes: number): Uint8Array | undefined;
  readText(absolutePath: string): string | undefined;
}

export interface CheckContext {
  doc: ManifestDocument;
  model: ManifestModel;
  /** Folder of the manifest, for relative paths; undefined for an unsaved document. */
  baseDir?: string;
  /** Workspace folder holding the manifest: referenced files must stay inside it. */
  rootDir?: string;
  files?: FileAccess;
}

export interface ManifestCheck {
  /** The codes this check can report (documented in the README). */
  codes: readonly string[];
  run(context: CheckContext): ManifestDiagnostic[];
}
