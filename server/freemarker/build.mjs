// Compiles the FreeMarker worker into dist/freemarker with the JDK's javac, and ships freemarker.js's
// jar (2.3.28) beside it as the engine of last resort. Without a JDK the build goes on: the extension
// then says the engine is missing instead of rendering.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(repo, 'dist', 'freemarker');
const bundledJar = join(repo, 'node_modules', 'freemarker.js', 'lib', 'freemarker.jar');
mkdirSync(out, { recursive: true });
copyFileSync(bundledJar, join(out, 'freemarker-2.3.28.jar'));
try {
  execFileSync(
    'javac',
    [
      '--release',
      '11',
      '-nowarn',
      '-cp',
      bundledJar,
      '-d',
      out,
      join(repo, 'server', 'freemarker', 'AmplitudeFreemarkerWorker.java'),
    ],
    { stdio: 'inherit' },
  );
} catch (error) {
  console.warn(
    `build:worker: javac failed or is missing (${error.message}); templates will not render until a JDK is installed and the build is run again.`,
  );
}
