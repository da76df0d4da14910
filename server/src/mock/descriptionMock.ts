import { loadApiDescription } from '../contract/description';
import {
  descriptionHandler,
  DescriptionMockError,
  type DescriptionMockOptions,
  type DescriptionMockState,
} from './descriptionHandler';
import { startMockServer, type MockServerOptions } from './server';

export { DescriptionMockError, type DescriptionMockState, type Refusal } from './descriptionHandler';

/**
 * The description-driven mock as a running server: what `mock-server --api-description` and simulate / test
 * with an API description start. Its own module, loaded by a dynamic import, so that Prism is read only by the
 * commands that play a description (never by `validate`, the language server or the client).
 */

export interface RunningDescriptionMock {
  url: string;
  /** The description's problems that did not stop it (it does not validate, but its operations were read). */
  warnings: string[];
  state(): DescriptionMockState;
  close(): Promise<void>;
}

/** Request bodies a description mock validates: past this, 413 (a batch of 10,000 users is about 1 MB). */
export const DESCRIPTION_MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Loads the description (inside `root`, through contract/description.ts) and starts the mock that plays it.
 * A description that cannot be read is a DescriptionMockError with the readable reason.
 */
export async function startDescriptionMock(
  file: string,
  root: string,
  options: DescriptionMockOptions & MockServerOptions = {},
): Promise<RunningDescriptionMock> {
  const loaded = await loadApiDescription(file, root);
  if (!loaded.description) {
    const reasons = loaded.problems.map((p) => p.message).join('\n');
    throw new DescriptionMockError(reasons || `The API description ${file} could not be read.`);
  }
  const handler = await descriptionHandler(loaded.description, options);
  const server = await startMockServer(handler, {
    ...options,
    maxBodyBytes: options.maxBodyBytes ?? DESCRIPTION_MAX_BODY_BYTES,
  });
  return {
    url: server.url,
    warnings: loaded.problems.map((p) => p.message),
    state: () => handler.state(),
    close: () => server.close(),
  };
}
