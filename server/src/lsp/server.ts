import './heapPolicy';
import * as path from 'path';
import { createConnection, ProposedFeatures, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { nodeFiles } from '../base/files';
import { TemplateService } from '../templates/templateService';
import { registerAmplitudeRequests } from './amplitudeRequests';
import { describe, type ServerContext } from './context';
import { registerDocumentFeatures } from './documentFeatures';
import { registerLifecycle } from './lifecycle';
import { ManifestLanguageService } from './manifestLanguageService';
import { TemplateLanguageService } from './templateLanguageService';
import { registerDiffRequest, registerPortalRequests } from './portalRequests';
import { registerTestRequests } from './testRequests';
import { Validation } from './validation';
import { filePathOf, WorkspaceState } from './workspace';

/** The language server: the wiring of the services to one connection, and nothing else. */
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const workspace = new WorkspaceState();
const templates = new TemplateService({
  workspaceFolders: () => workspace.folders,
  openText: (file) =>
    documents
      .all()
      .find((d) => filePathOf(d.uri) === file)
      ?.getText(),
  workerDir: path.join(__dirname, 'freemarker'),
  jar: () => workspace.settings.freemarkerJar,
  timeoutMs: () => workspace.settings.renderTimeoutMs,
  maxHeapMb: () => workspace.settings.maxHeapMb,
});
const context: ServerContext = {
  connection,
  documents,
  workspace,
  manifests: new ManifestLanguageService({ files: nodeFiles, scopeOf: (file) => workspace.scopeOf(file) }),
  templates,
  templateFeatures: new TemplateLanguageService(templates),
  client: { itemDefaults: false, codeActionResolve: false, workspaceFolders: false },
};
const validation = new Validation(context);

registerLifecycle(context, validation);
registerDocumentFeatures(context);
registerAmplitudeRequests(context);
registerTestRequests(context);
registerPortalRequests(context);
registerDiffRequest(context);

documents.onDidOpen((e) => validation.schedule(e.document.uri));
documents.onDidChangeContent((e) => validation.schedule(e.document.uri));
documents.onDidClose((e) => validation.closed(e.document.uri));
connection.onDidChangeWatchedFiles((change) => validation.filesChanged(change.changes));
connection.onShutdown(() => templates.dispose());

process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${describe(error)}`));
process.on('unhandledRejection', (error) => connection.console.error(`Unexpected rejection: ${describe(error)}`));

documents.listen(connection);
connection.listen();
