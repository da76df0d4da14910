import type * as vscodeTypes from 'vscode';

/**
 * The `vscode` API, handed over by the harness extension: these suites run inside a real VS Code's
 * extension host, but are loaded from outside any extension folder.
 */
export const vscode = (globalThis as { __amplitudeVscodeApi?: typeof vscodeTypes })
  .__amplitudeVscodeApi as typeof vscodeTypes;
