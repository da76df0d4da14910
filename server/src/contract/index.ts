import * as path from 'path';
import { withoutDisabled, type ManifestDiagnostic } from '../base/diagnostic';
import { runGuarded } from '../diagnostics';
import { isInside, locateReference, type FileScope } from '../base/files';
import { FreemarkerWorker, type EngineProblem } from '../freemarker/engine';
import type { ManifestDocument } from '../manifest/document';
import type { ManifestModel } from '../manifest/model';
import { cohortBodies, sampleListId, streamingBodies } from './bodies';
import { authenticationCheck } from './checks/authentication';
import { batchSizeCheck } from './checks/batchSize';
import { endpointsCheck } from './checks/endpoints';
import { errorTableCheck } from './checks/errorTable';
import { listIdPathCheck } from './checks/listIdPath';
import { misspeltKeyCheck } from './checks/misspeltKey';
import { requestBodyCheck } from './checks/requestBody';
import { contractCalls, type ContractCheck, type ContractContext } from './context';
import { loadApiDescription, type ApiDescription, type DescriptionLoad } from './description';
import { violationsOf } from './violations';

export type { DescriptionLoad } from './description';

/** Every contract check, in the order their findings are listed. */
export const CONTRACT_CHECKS: readonly ContractCheck[] = [
  endpointsCheck,
  authenticationCheck,
  requestBodyCheck,
  misspeltKeyCheck,
  batchSizeCheck,
  listIdPathCheck,
  errorTableCheck,
];

export const CONTRACT_CODES: readonly string[] = [
  'api-description-unreadable',
  'api-description-invalid',
  ...CONTRACT_CHECKS.flatMap((c) => c.codes),
];

export interface ContractOptions {
  /** The manifest's folder and workspace: the streaming body template is read inside it. */
  scope?: FileScope;
  /** The FreeMarker engine for streaming bodies; without one (or when it is unavailable) they are skipped. */
  engine?: () => FreemarkerWorker | EngineProblem | undefined;
}

/** The manifest's own `apiDescription` key (this tool's, not a portal field). */
export function apiDescriptionReference(model: Pick<ManifestModel, 'apiDescription'>): string | undefined {
  return model.apiDescription;
}

/** Where the described file is: `apiDescription` relative to the manifest, inside the workspace. */
export type DescriptionSource = { file: string; root: string; fromKey: boolean } | { refused: string };

export function descriptionSource(
  model: Pick<ManifestModel, 'apiDescription'>,
  scope: FileScope,
  flag?: string,
): DescriptionSource | undefined {
  if (flag !== undefined) {
    const file = path.resolve(flag);
    const root = isInside(path.resolve(scope.rootDir), file) ? scope.rootDir : path.dirname(file);
    return { file, root, fromKey: false };
  }
  const reference = apiDescriptionReference(model);
  if (reference === undefined) return undefined;
  const located = locateReference(reference, scope);
  if (!located.ok) return { refused: `The API description "${reference}" ${located.reason}.` };
  return { file: located.path, root: scope.rootDir, fromKey: true };
}

/** Loads the description a source names; a refused source is a problem like any other. */
export async function loadFromSource(source: DescriptionSource): Promise<DescriptionLoad> {
  if ('refused' in source) return { problems: [{ message: source.refused }] };
  return loadApiDescription(source.file, source.root);
}

/** A description that cannot be read, on the `apiDescription` value (or at the top, for the command line's). */
export function descriptionDiagnostics(doc: ManifestDocument, load: DescriptionLoad): ManifestDiagnostic[] {
  const onKey = doc.nodeAt(['apiDescription']) !== undefined;
  const span = onKey ? doc.spanAt(['apiDescription']) : { start: 0, end: 0 };
  return load.problems.map((problem) => ({
    ...span,
    code: problem.loaded ? 'api-description-invalid' : 'api-description-unreadable',
    severity: problem.loaded ? ('warning' as const) : ('error' as const),
    message: problem.message,
  }));
}

/** Every contract check on one manifest against one description. */
export async function checkContract(
  doc: ManifestDocument,
  model: ManifestModel,
  description: ApiDescription,
  options: ContractOptions = {},
): Promise<ManifestDiagnostic[]> {
  const calls = contractCalls(doc, model, description);
  const bodies = cohortBodies(model, calls);
  const engine =
    options.scope && calls.some((c) => c.role === 'events' || c.role === 'identify') ? options.engine?.() : undefined;
  if (options.scope && engine instanceof FreemarkerWorker)
    bodies.push(...(await streamingBodies(model.streaming, calls, options.scope, engine)));
  const context: ContractContext = {
    doc,
    model,
    description,
    calls,
    bodies,
    violations: violationsOf(bodies, description),
    listIdTyped: sampleListId(calls).typed,
  };
  return runGuarded(CONTRACT_CHECKS, context);
}

/** The description's problems and, when it loaded, every contract finding. */
export async function contractDiagnostics(
  doc: ManifestDocument,
  model: ManifestModel,
  load: DescriptionLoad,
  options: ContractOptions = {},
): Promise<ManifestDiagnostic[]> {
  const problems = withoutDisabled(descriptionDiagnostics(doc, load));
  if (!load.description) return problems;
  return [...problems, ...(await checkContract(doc, model, load.description, options))];
}
