import * as path from 'path';
import type { ManifestAnalysis } from '../analysis';
import { stringAt } from '../base/value';
import { workspaceRootOf } from '../base/walk';
import type { DescriptionMockState, RunningDescriptionMock } from '../mock/descriptionMock';
import type { Parsed } from './args';
import { UsageError, type Io } from './io';

/**
 * simulate and test with the partner's API description: `--api-description spec.yaml`, or the manifest's own
 * `apiDescription` key (a path beside it). Without `--target`, they run against the description-driven mock
 * (mock/descriptionMock.ts, loaded here by a dynamic import so Prism is read only then), which refuses what the
 * real API would refuse; its refusals are printed after the run.
 */

export const DESCRIPTION_OPTIONS = { 'api-description': { type: 'string' } } as const;

/**
 * The description a run plays and the root its references stay in: the flag's (relative to the current folder,
 * in its own workspace), else the manifest's key (inside the manifest's workspace). None for a dry run.
 */
export function descriptionFile(
  file: string,
  analysis: ManifestAnalysis,
  parsed: Parsed,
): { file: string; root: string } | undefined {
  const flag = parsed.values.get('api-description');
  if (flag !== undefined) {
    if (flag.trim() === '') throw new UsageError('--api-description needs a file: an OpenAPI or Swagger description.');
    if (parsed.values.has('target'))
      throw new UsageError(
        '--api-description plays the API with a mock and --target sends to a server of yours: give one of them.',
      );
    if (parsed.flags.has('dry-run')) return undefined;
    return { file: path.resolve(flag), root: workspaceRootOf(path.resolve(flag)) };
  }
  const named = stringAt(analysis.doc.value, 'apiDescription');
  // With --target the run goes to the server named; the manifest's description then only serves validate.
  if (named === undefined || named.trim() === '' || parsed.values.has('target') || parsed.flags.has('dry-run'))
    return undefined;
  return { file: path.resolve(path.dirname(path.resolve(file)), named), root: workspaceRootOf(file) };
}

/** A refusal's reasons, once each: the same violation on items 0, 1, 2 ... of a batch reads as one ("[*]"). */
function reasons(violations: readonly string[]): string {
  const distinct = [...new Set(violations.map((v) => v.replace(/\.\d+(?=[.\s]|$)/g, '[*]')))];
  const more = distinct.length > 3 ? `; and ${distinct.length - 3} more` : '';
  return distinct.slice(0, 3).join('; ') + more;
}

/** A refused request's group in the report: operation, status, and why. */
function refusalLines(state: DescriptionMockState): string[] {
  if (state.refusedCount === 0) return [];
  const groups = new Map<string, number>();
  for (const r of state.refusals) {
    const key = `${r.operation ?? `${r.method} ${r.path}`} ${r.status}: ${reasons(r.violations)}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const shown = state.refusals.length < state.refusedCount ? ` (the latest ${state.refusals.length} shown)` : '';
  return [
    `The API description (${state.description}) refused ${state.refusedCount} request(s)${shown}:`,
    ...[...groups].map(([key, n]) => `  ${key}${n > 1 ? ` (x${n})` : ''}`),
  ];
}

/**
 * Runs `run` against the description-driven mock playing `description` (the manifest's lists kept behind it),
 * then prints what the description refused. Exit code 1 when it refused anything; 2 when it cannot be played.
 */
export async function withDescriptionMock(
  description: { file: string; root: string },
  analysis: ManifestAnalysis,
  io: Io,
  textReport: boolean,
  run: (target: string) => Promise<number>,
): Promise<number> {
  const { startDescriptionMock, DescriptionMockError } = await import('../mock/descriptionMock.js');
  let mock: RunningDescriptionMock;
  try {
    mock = await startDescriptionMock(description.file, description.root, {
      manifest: { value: analysis.doc.value, model: analysis.model },
    });
  } catch (error) {
    if (!(error instanceof DescriptionMockError)) throw error;
    io.err(`amplitude-integration: ${error.message}`);
    return 2;
  }
  try {
    for (const warning of mock.warnings) io.err(`amplitude-integration: ${warning}`);
    io.err(`Playing the API description ${path.basename(description.file)} with a mock at ${mock.url}`);
    const code = await run(mock.url);
    const state = mock.state();
    const lines = refusalLines(state);
    if (lines.length > 0 && textReport) io.out(lines.join('\n'));
    else if (lines.length > 0) io.err(lines.join('\n'));
    return state.refusedCount > 0 ? Math.max(code, 1) : code;
  } finally {
    await mock.close();
  }
}
