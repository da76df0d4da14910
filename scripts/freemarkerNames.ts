/**
 * What a FreeMarker jar supports, asked of the engine itself (scripts/FreemarkerNames.java, run with Java's
 * single-file source launcher): the generator (scripts/builtins.ts) and the spec that proves the generated list
 * (test/ftl/builtins.engine.test.ts) both call this.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

export interface EngineNames {
  version: string;
  builtIns: string[];
  directives: string[];
}

/** Debian's libfreemarker-java: FreeMarker 2.3.31, the version Amplitude renders with. */
export const DEBIAN_FREEMARKER_JAR = '/usr/share/java/freemarker.jar';

export function engineNames(jar = DEBIAN_FREEMARKER_JAR, java = 'java'): EngineNames {
  const source = path.resolve(__dirname, '..', '..', 'scripts', 'FreemarkerNames.java');
  const output = execFileSync(java, ['-cp', jar, source], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(output) as EngineNames;
}
