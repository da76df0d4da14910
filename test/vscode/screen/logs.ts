/** The extension's output channels, as VS Code writes them to disk. */
import * as fs from 'fs';
import * as path from 'path';
import { TOKEN } from '../workspace';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail?: string;
}

function logFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return logFiles(full);
    return full.includes('amplitude-integration-tools') ? [full] : [];
  });
}

/** The Test Endpoint lines are there, the secret-in-URL test's token is masked in them, no test secret anywhere. */
export function checkOutputChannelLogs(userData: string): CheckResult {
  const name = '[logs] the output channel shows the tests and no secret';
  const files = logFiles(path.join(userData, 'logs'));
  const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  if (!/\[test\] POST \S+\?token=••••••••/.test(text)) {
    const detail = `no masked [test] line for the secret-in-URL manifest in ${files.length} log file(s)`;
    return { name, ok: false, detail };
  }
  const leaked = [TOKEN, 'wrong-token'].filter((secret) => text.includes(secret));
  if (leaked.length) return { name, ok: false, detail: `secret(s) in the logs: ${leaked.length}` };
  return { name, ok: true, detail: `${files.length} log file(s) read` };
}
