import type { FileRead, FileScope, ReadLimits } from '../base/files';
import type { Edit } from 'jsonc-parser';
import type { ManifestDocument } from '../manifest/document';
import type { ManifestModel } from '../manifest/model';
import type { Span } from '../manifest/text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A suggested fix: text edits (offsets into the manifest), applied together. */
export interface Fix {
  title: string;
  /** Computed only when the fix is chosen (codeAction/resolve): an edit can cost a parse of the whole text. */
  edits: () => Edit[];
  preferred?: boolean;
}

/** The one shape every check reports in: the server and the CLI both read it. */
export interface ManifestDiagnostic extends Span {
  code: string;
  severity: Severity;
  message: string;
  /** Shown faded in the editor (unused declarations). */
  unnecessary?: boolean;
  /** The fixes on offer; titles are cheap, each fix's edits are computed when it is chosen. */
  fixes?: Fix[];
}

/** What a check may look at outside the text: the files a manifest references, under base/files.ts's rules. */
export interface FileAccess {
  read(reference: string, scope: FileScope, limits: ReadLimits): FileRead;
}

export interface CheckContext {
  doc: ManifestDocument;
  model: ManifestModel;
  /** The manifest's folder and workspace; undefined for an unsaved document (file checks are skipped). */
  scope?: FileScope;
  files?: FileAccess;
}

export interface ManifestCheck {
  /** The codes this check can report (documented in the README). */
  codes: readonly string[];
  run(context: CheckContext): ManifestDiagnostic[];
}
