/**
 * `npm run builtins`: writes server/src/ftl/builtins.ts, the built-in and directive names of FreeMarker 2.3.31, from
 * the engine (Configuration.getSupportedBuiltInNames and getSupportedBuiltInDirectiveNames, public since 2.3.24).
 * Give another jar as the first argument; by default Debian's libfreemarker-java (2.3.31).
 */
import * as fs from 'fs';
import * as path from 'path';
import { engineNames } from './freemarkerNames';

const ROOT = path.resolve(__dirname, '..', '..');
const names = engineNames(process.argv[2]);

const quoted = (list: string[]) => list.map((name) => `  '${name}',`).join('\n');
const text = `/**
 * GENERATED from FreeMarker ${names.version} by \`npm run builtins\` (scripts/builtins.ts, which asks the engine:
 * Configuration.getSupportedBuiltInNames and getSupportedBuiltInDirectiveNames, legacy naming convention). Do not
 * edit by hand: regenerate. test/ftl/builtins.engine.test.ts fails when this list and the engine differ.
 */

/** The FreeMarker version these names are from: the one Amplitude renders with. */
export const NAMES_ENGINE_VERSION = '${names.version}';

/** Every built-in the engine knows (\`?name\`). */
export const SUPPORTED_BUILTINS: readonly string[] = [
${quoted(names.builtIns)}
];

/** Every directive the engine knows (\`<#name>\`, \`[#name]\`). */
export const SUPPORTED_DIRECTIVES: readonly string[] = [
${quoted(names.directives)}
];
`;
fs.writeFileSync(path.join(ROOT, 'server', 'src', 'ftl', 'builtins.ts'), text);
process.stdout.write(
  `server/src/ftl/builtins.ts written: ${names.builtIns.length} built-ins, ${names.directives.length} directives\n`,
);
