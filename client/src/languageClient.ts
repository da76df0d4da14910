// vscode-languageclient, bundled on its own into dist/languageclient.js: dist/client.js holds only this
// project's client, so its size (and any growth) is measured apart from the library's 437 KB.
export * from 'vscode-languageclient/node';
