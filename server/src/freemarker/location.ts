// Where the engine is: a Java runtime and the newest FreeMarker jar at hand, beside the built worker.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Where Debian's libfreemarker-java (2.3.31) puts its jar. */
export const DEBIAN_JAR = '/usr/share/java/freemarker.jar';

/** The worker, packed by server/freemarker/build.mjs. */
export const WORKER_JAR = 'amplitude-freemarker-worker.jar';

export interface EngineLocation {
  java: string;
  jar: string;
  jarSource: 'setting' | 'debian' | 'bundled';
  /** dist/freemarker: the worker's jar and the bundled 2.3.28 engine. */
  workerDir: string;
}

export type EngineProblem = { problem: string };

export interface LocateOptions {
  /** A freemarker.jar the user chose (setting or --jar). */
  jar?: string;
  /** Folder with the worker's jar and freemarker-2.3.28.jar (dist/freemarker). */
  workerDir: string;
  java?: string;
}

const JAVA_HELP =
  'Java not found: rendering templates needs a Java runtime (11 or newer). Install one (Debian/Ubuntu: sudo ' +
  'apt-get install default-jre-headless; macOS: brew install openjdk) or set JAVA_HOME.';

/** The chosen java, or JAVA_HOME's, or the one on PATH: the first that answers `-version`. */
function javaCommand(explicit: string | undefined): string | undefined {
  const candidates = explicit
    ? [explicit]
    : [process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : undefined, 'java'].filter(
        (c): c is string => !!c,
      );
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-version'], { stdio: 'ignore', timeout: 10_000 });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/** Finds Java and the newest FreeMarker jar: the user's choice, then Debian's, then the bundled 2.3.28. */
export function locateEngine(options: LocateOptions): EngineLocation | EngineProblem {
  if (!fs.existsSync(path.join(options.workerDir, WORKER_JAR))) {
    return {
      problem:
        `The FreeMarker worker is not built (${options.workerDir} has no ${WORKER_JAR}): run "npm run build" ` +
        'with a JDK installed.',
    };
  }
  let jar: string;
  let jarSource: EngineLocation['jarSource'];
  if (options.jar) {
    if (!fs.existsSync(options.jar))
      return { problem: `The FreeMarker jar ${options.jar} (setting amplitude.freemarker.jarPath) does not exist.` };
    jar = options.jar;
    jarSource = 'setting';
  } else if (fs.existsSync(DEBIAN_JAR)) {
    jar = DEBIAN_JAR;
    jarSource = 'debian';
  } else {
    jar = path.join(options.workerDir, 'freemarker-2.3.28.jar');
    jarSource = 'bundled';
  }
  const java = javaCommand(options.java);
  if (!java) return { problem: JAVA_HELP };
  return { java, jar, jarSource, workerDir: options.workerDir };
}
