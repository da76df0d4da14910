/** `npm run docs`: writes docs/diagnostics.md and the README's diagnostics tables from the code table. */
import * as fs from 'fs';
import * as path from 'path';
import { diagnosticsDocument, withReadmeTables } from '../server/src/diagnostics/reference';

const ROOT = path.resolve(__dirname, '..', '..');
fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'docs', 'diagnostics.md'), diagnosticsDocument());
const readme = path.join(ROOT, 'README.md');
fs.writeFileSync(readme, withReadmeTables(fs.readFileSync(readme, 'utf8')));
process.stdout.write('docs/diagnostics.md and the README diagnostics tables written\n');
