/** The workspace the suites open: the examples, planted problems, and settings pointing at the mock. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startMockPartner } from '../../server/src/mock/mockPartner';
import { releaseRepository } from '../helpers/git';
import { REPO } from './toolchain';

export const TOKEN = 'vscode-suite-token';

/** A manifest as someone pasted it: indentation all over the place, and a comment that must survive formatting. */
export const UNFORMATTED = [
  '// Pasted from the portal.',
  '{',
  '"kind": "event-ingestion",',
  '      "version": "1.0.0",',
  ' "connection": {',
  '"displayName": "Pasted", "category": "Analytics",',
  '   "summary": "s", "description": "d", "logo": "logo.png" },',
  '"partnerId": "pasted"',
  '}',
  '',
].join('\n');

/** A workspace of the examples, a planted error, and settings that point Test Endpoint at the mock. */
function makeWorkspace(dir: string, mockUrl: string): string {
  const workspace = path.join(dir, 'workspace');
  fs.cpSync(path.join(REPO, 'examples'), workspace, { recursive: true });
  const planted = path.join(workspace, 'planted');
  fs.mkdirSync(planted);
  fs.cpSync(path.join(REPO, 'examples', 'list-based', 'logo.png'), path.join(planted, 'logo.png'));
  const list = fs.readFileSync(path.join(REPO, 'examples', 'list-based', 'pushwave-lists.amplitude.json'), 'utf8');
  fs.writeFileSync(
    path.join(planted, 'broken.amplitude.json'),
    list.replace('"source": "amplitude"', '"source": "$campaign"'),
  );
  // Never opened by the suites: its problem shows only through workspace diagnostics.
  fs.writeFileSync(
    path.join(planted, 'closed.amplitude.json'),
    list.replace('"source": "amplitude"', '"source": "$never_opened"'),
  );
  // A secret in a URL: what the output channel logs of it must be masked (checked in the log files).
  fs.writeFileSync(
    path.join(planted, 'secret-in-url.amplitude.json'),
    list.replace(
      '"url": "https://api.$region.pushwave.example/v2/audiences",',
      '"url": "https://api.$region.pushwave.example/v2/audiences?token=$bearer_token",',
    ),
  );
  // Badly indented, for Format Document.
  fs.writeFileSync(path.join(planted, 'unformatted.amplitude.json'), UNFORMATTED);
  fs.mkdirSync(path.join(workspace, '.vscode'));
  const settings = {
    'amplitude.test.targetOverride': mockUrl,
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
  };
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  releaseRepository(workspace, 'v1.2.1');
  return workspace;
}

/** A run's folder (profile, extensions, results file), the mock partner API, and the workspace pointed at it. */
export type Run = Awaited<ReturnType<typeof prepareRun>>;

export async function prepareRun() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-vscode-'));
  const mock = await startMockPartner({ auth: { bearer: TOKEN }, listIdPath: 'audience.id' });
  return {
    dir,
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    resultsFile: path.join(dir, 'results.json'),
    mock,
    workspace: makeWorkspace(dir, mock.url),
  };
}
