// The one esbuild configuration for every bundle in dist/.
//   node scripts/build.mjs              every bundle, minified with source maps (npm run build)
//   node scripts/build.mjs server cli   only those bundles (npm run build:server, build:cli, ...)
//   node scripts/build.mjs --watch      every bundle, unminified, rebuilt on save (npm run watch, F5)
// The FreeMarker worker is Java: server/freemarker/build.mjs (npm run build:worker).
import * as esbuild from 'esbuild';
import * as path from 'path';
import { createRequire } from 'module';

const SHEBANG = { js: '#!/usr/bin/env node' };

/**
 * The description-driven mock (Stoplight Prism, several MB) is a bundle of its own, dist/description-mock.js,
 * that the CLI and dist/mock-server.js load by a dynamic import only when they play an API description: so it
 * is never in dist/server.js or the client, `validate` does not read it, and the package holds it once.
 */
const descriptionMockApart = {
  name: 'description-mock-apart',
  setup(build) {
    build.onResolve({ filter: /(^|\/)mock\/descriptionMock(\.js)?$|^\.\/descriptionMock(\.js)?$/ }, () => ({
      path: './description-mock.js',
      external: true,
    }));
  },
};

/**
 * Those two bundles load it with require() rather than a native import(): the CLI runs in a vm.Script (its code
 * cache, cli/codeCache.ts), which has no dynamic import callback.
 */
const REQUIRE_EXTERNALS = { 'dynamic-import': false };

/**
 * mainFields puts "module" first (jsonc-parser's UMD build fails bundled), but @jsdevtools/ono's ES module ends
 * with a CommonJS hack that throws once bundled ("Cannot convert undefined or null to object" in Object.assign,
 * when swagger-parser or Prism's ref parser load): ono is taken from its CommonJS build, whichever copy.
 */
const onoCommonJs = {
  name: 'ono-commonjs',
  setup(build) {
    build.onResolve({ filter: /^@jsdevtools\/ono$/ }, (args) => ({
      path: createRequire(args.importer).resolve('@jsdevtools/ono'),
    }));
  },
};

/**
 * What dist/description-mock.js leaves out of Prism (scripts/prism-stubs/, each file says why): faker's locales
 * (dynamic examples only; 4 MB), node-fetch (its proxy and OpenAPI callbacks: the mock opens no connection) and
 * the Postman transformer (descriptions are OpenAPI or Swagger). 3.9 MB becomes about 1.7 MB.
 */
const PRISM_STUBS = {
  '@faker-js/faker': 'faker.cjs',
  'node-fetch': 'no-network.cjs',
  '@stoplight/http-spec/postman/operation': 'postman.cjs',
};
const prismStubs = {
  name: 'prism-stubs',
  setup(build) {
    const names = Object.keys(PRISM_STUBS).map((n) => n.replace(/[/.]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: path.resolve('scripts/prism-stubs', PRISM_STUBS[args.path]),
    }));
  },
};

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
    {
      entryPoints: ['server/src/cli/main.ts'],
      outfile: 'dist/cli-main.js',
      plugins: [descriptionMockApart],
      supported: REQUIRE_EXTERNALS,
    },
    { entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js', banner: SHEBANG, sourcemap: false },
  ],
  mock: [
    {
      entryPoints: ['server/src/mock/main.ts'],
      outfile: 'dist/mock-server.js',
      banner: SHEBANG,
      plugins: [descriptionMockApart],
      supported: REQUIRE_EXTERNALS,
    },
    {
      entryPoints: ['server/src/mock/descriptionMock.ts'],
      outfile: 'dist/description-mock.js',
      plugins: [prismStubs],
    },
  ],
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
  .map((bundle) => ({ ...SHARED, minify: !watch, ...bundle, plugins: [onoCommonJs, ...(bundle.plugins ?? [])] }));

if (watch) {
  const contexts = await Promise.all(
    options.map((o) => esbuild.context({ ...o, plugins: [...(o.plugins ?? []), watchMarkers] })),
  );
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(options.map((o) => esbuild.build(o)));
}
