import * as vscode from 'vscode';
import type { SendSettings } from '../../../server/src/protocol';

/** Test Endpoint's settings (`amplitude.test.*`), read fresh for every test. */
export function sendSettings(): SendSettings {
  const config = vscode.workspace.getConfiguration('amplitude.test');
  const target = config.get<string>('targetOverride', '').trim();
  return {
    connectTimeoutMs: config.get('connectTimeoutMs', 10_000),
    headersTimeoutMs: config.get('headersTimeoutMs', 30_000),
    bodyTimeoutMs: config.get('bodyTimeoutMs', 30_000),
    totalTimeoutMs: config.get('totalTimeoutMs', 120_000),
    maxResponseBytes: config.get('maxResponseBytes', 10 * 1024 * 1024),
    target: target === '' ? undefined : target,
    ingestionEndpoint: config.get<string>('ingestionEndpoint', 'https://api2.amplitude.com/2/httpapi'),
  };
}
