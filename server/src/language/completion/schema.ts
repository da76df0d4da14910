import { getLanguageService, type JSONDocument, type LanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MANIFEST_SCHEMA, MANIFEST_SCHEMA_ID } from '../../manifest/schema';

/**
 * Key and enum completion from the JSON Schema come from vscode-json-languageservice (what VS Code's
 * own JSON support uses) rather than a schema walker of ours.
 */
export class SchemaAssist {
  private readonly service: LanguageService;
  private cached: { uri: string; version: number; text: TextDocument; json: JSONDocument } | undefined;

  constructor() {
    const schemaText = JSON.stringify(MANIFEST_SCHEMA);
    this.service = getLanguageService({
      // Every schema a manifest can name (its own `$schema` or ours) is answered with the bundled copy: no network.
      schemaRequestService: (uri) =>
        uri === MANIFEST_SCHEMA_ID || uri.endsWith('integration-manifest.schema.json')
          ? Promise.resolve(schemaText)
          : Promise.reject(new Error(`Schema ${uri} is not bundled`)),
      workspaceContext: { resolveRelativePath: (relativePath, resource) => new URL(relativePath, resource).toString() },
    });
    this.service.configure({
      validate: false,
      allowComments: true,
      schemas: [{ uri: MANIFEST_SCHEMA_ID, fileMatch: ['*'], schema: MANIFEST_SCHEMA }],
    });
  }

  private documentFor(uri: string, version: number, text: string): { text: TextDocument; json: JSONDocument } {
    if (!this.cached || this.cached.uri !== uri || this.cached.version !== version) {
      const document = TextDocument.create(uri, 'jsonc', version, text);
      this.cached = { uri, version, text: document, json: this.service.parseJSONDocument(document) };
    }
    return this.cached;
  }

  complete(uri: string, version: number, text: string, position: { line: number; character: number }) {
    const { text: document, json } = this.documentFor(uri, version, text);
    return this.service.doComplete(document, position, json);
  }
}
