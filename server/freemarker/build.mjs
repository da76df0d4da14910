// Compiles the FreeMarker worker (every .java file of server/freemarker) with the JDK's javac and packs it as dist/freemarker/amplitude-freemarker-worker.jar
// (a jar, not loose classes: class data sharing archives only jars), and ships freemarker.js's jar (2.3.28) beside
// it as the engine of last resort. Without a JDK the build goes on: the extension then says the engine is missing.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(repo, 'dist', 'freemarker');
const classes = join(out, 'classes');
const bundledJar = join(repo, 'node_modules', 'freemarker.js', 'lib', 'freemarker.jar');
rmSync(out, { recursive: true, force: true });
mkdirSync(classes, { recursive: true });
copyFileSync(bundledJar, join(out, 'freemarker-2.3.28.jar'));
try {
  const folder = join(repo, 'server', 'freemarker');
  const sources = readdirSync(folder)
    .filter((name) => name.endsWith('.java'))
    .map((name) => join(folder, name));
  // String concatenation compiled inline: the default (invokedynamic) spins method handles on first use, about
  // 25 ms of every cold start.
  const flags = ['--release', '11', '-nowarn', '-XDstringConcat=inline'];
  execFileSync('javac', [...flags, '-cp', bundledJar, '-d', classes, ...sources], { stdio: 'inherit' });
  execFileSync('jar', ['cf', join(out, 'amplitude-freemarker-worker.jar'), '-C', classes, '.'], { stdio: 'inherit' });
} catch (error) {
  console.warn(
    `build:worker: javac or jar failed or is missing (${error.message}); templates will not render until a JDK ` +
      'is installed and the build is run again.',
  );
} finally {
  rmSync(classes, { recursive: true, force: true });
}
