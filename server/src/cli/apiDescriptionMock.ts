import * as path from 'path';
import type { ManifestAnalysis } from '../analysis';
import { descriptionSource } from '../contract/index';
import type { DescriptionMockState, RunningDescriptionMock } from '../mock/descriptionMock';
import type { Parsed } from './args';
import { UsageError, type Io } from './io';
import { manifestScope } from './manifestFiles';

/**
 * simulate and test with the partner's API description: `--api-description spec.yaml`, or the manifest's own
 * `apiDescription` key (a path beside it). Without `--target`, they run against the description-driven mock
 * (mock/descriptionMock.ts, loaded here by a dynamic import so Prism is read only then), which refuses what the
 * real API would refuse; its refusals are printed after the run.
 */

export const DESCRIPTION_OPTIONS = { 'api-description': { type: 'string' } } as const;

/**
 * The description a run plays and the root its references stay in (contract/index.ts's rule, as validate reads
 * it): the flag's, else the manifest's key (inside the manifest's workspace). None for a dry run, or when
 * `--target` sends to a server of the user's while the manifest names a description.
 */
export function descriptionFile(
  file: string,
  analysis: ManifestAnalysis,
  parsed: Parsed,
): { file: string; root: string } | { refused: string } | undefined {
  const flag = parsed.values.get('api-description');
  if (flag !== undefined && flag.trim() === '')
    throw new UsageError('--api-description needs a file: an OpenAPI or Swagger description.');
  if (flag !== undefined && parsed.values.has('target'))
    throw new UsageError(
      '--api-description plays the API with a mock and --target sends to a server of yours: give one of them.',
    );
  if (parsed.flags.has('dry-run') || (flag === undefined && parsed.values.has('target'))) return undefined;
  const source = descriptionSource(analysis.model, manifestScope(file), flag);
  if (source === undefined) return undefined;
  return 'refused' in source ? source : { file: source.file, root: source.root };
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
  description: { file: string; root: string } | { refused: string },
  analysis: ManifestAnalysis,
  io: Io,
  textReport: boolean,
  run: (target: string) => Promise<number>,
): Promise<number> {
  // The manifest's apiDescription outside the workspace, or not there: the reason, exit 2.
  if ('refused' in description) {
    io.err(`amplitude-integration: ${description.refused}`);
    return 2;
  }
  const { startDescriptionMock, DescriptionMockError } = await import('../mock/descriptionMock.js');
  let mock: RunningDescriptionMock;
  try {
    mock = await startDescriptionMock(description.file, description.root, {
      manifest: analysis.model,
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
