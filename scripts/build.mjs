// The one esbuild configuration for every bundle in dist/.
//   node scripts/build.mjs              every bundle, minified with source maps (npm run build)
//   node scripts/build.mjs server cli   only those bundles (npm run build:server, build:cli, ...)
//   node scripts/build.mjs --watch      every bundle, unminified, rebuilt on save (npm run watch, F5)
// The FreeMarker worker is Java: server/freemarker/build.mjs (npm run build:worker).
import * as esbuild from 'esbuild';

const SHEBANG = { js: '#!/usr/bin/env node' };

/** Each bundle: its entry, its output, and what differs from the shared options. */
const BUNDLES = {
  server: [{ entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js' }],
  // The language client is a bundle of its own, loaded by the extension only when it starts the server.
  client: [
    {
      entryPoints: ['client/src/extension.ts'],
      outfile: 'dist/client.js',
      external: ['vscode', './languageclient.js'],
      alias: { 'vscode-languageclient/node': './languageclient.js' },
    },
    {
      entryPoints: ['client/src/languageClient.ts'],
      outfile: 'dist/languageclient.js',
      external: ['vscode'],
      sourcemap: false,
    },
  ],
  // dist/cli.js is the small loader that runs dist/cli-main.js through V8's code cache.
  cli: [
    { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-main.js' },
    { entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js', banner: SHEBANG, sourcemap: false },
  ],
  mock: [{ entryPoints: ['server/src/mock/main.ts'], outfile: 'dist/mock-server.js', banner: SHEBANG }],
  thread: [{ entryPoints: ['server/src/testing/streaming/renderThreadEntry.ts'], outfile: 'dist/render-thread.js' }],
};

const SHARED = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
};

/** The lines VS Code's background problem matcher (.vscode/tasks.json) waits for: one pair for all the bundles. */
let building = 0;
let errors = 0;
const watchMarkers = {
  name: 'watch-markers',
  setup(build) {
    build.onStart(() => {
      if (building++ === 0) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      errors += result.errors.length;
      if (--building > 0) return;
      console.log(`[watch] build finished (${errors} errors)`);
      errors = 0;
    });
  },
};

const args = process.argv.slice(2);
const watch = args.includes('--watch');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !(n in BUNDLES));
if (unknown.length > 0) {
  console.error(`build: no bundle named ${unknown.join(', ')} (known: ${Object.keys(BUNDLES).join(', ')})`);
  process.exit(2);
}
const options = (names.length > 0 ? names : Object.keys(BUNDLES))
  .flatMap((name) => BUNDLES[name])
  .map((bundle) => ({ ...SHARED, minify: !watch, ...bundle }));

if (watch) {
  const contexts = await Promise.all(options.map((o) => esbuild.context({ ...o, plugins: [watchMarkers] })));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(options.map((o) => esbuild.build(o)));
}
