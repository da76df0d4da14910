import type { MockAuth } from './auth';
import type { Behaviour } from './behaviour';
import { heuristicHandler, type HeuristicState } from './heuristicHandler';
import { manifestHandler, type ManifestMockState, type MockFixtures, type RecordedRequest } from './manifestHandler';
import type { ManifestModel } from '../manifest/model';
import type { MockLimits } from './members';
import { startMockServer, type MockHandler } from './server';

export type { Behaviour } from './behaviour';
export type { MockAuth } from './auth';
export type { MockLimits } from './members';

export interface MockOptions {
  port?: number;
  host?: string;
  /**
   * Where the list creation response keeps the new id: without a manifest, the guess's; with one, the
   * partner's (by default the manifest's listIdPath), so a manifest that reads another path fails as it would.
   */
  listIdPath?: string;
  auth?: MockAuth;
  behaviour?: Behaviour;
  /** Play this manifest's API: its routes, payload shapes and listIdPath. */
  manifest?: ManifestModel;
  fixtures?: MockFixtures;
  maxBodyBytes?: number;
  /** How much it keeps: the request log's budget, list members' bytes (defaults suit any real sync). */
  limits?: MockLimits;
}

export type MockState = HeuristicState | ManifestMockState;

export interface MockPartner {
  url: string;
  state(): MockState;
  /** What the manifest-derived mock received, oldest first (empty without a manifest). */
  requests(): RecordedRequest[];
  setBehaviour(behaviour: Behaviour): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server playing a partner's API. With a manifest it serves that manifest's routes and
 * shapes (mock/manifestHandler.ts); without one it guesses from URLs and bodies, as it always did.
 */
export async function startMockPartner(options: MockOptions = {}): Promise<MockPartner> {
  const handler: MockHandler<MockState> = options.manifest
    ? manifestHandler(
        options.manifest,
        {
          ...options.fixtures,
          listIdPath: options.fixtures?.listIdPath ?? options.listIdPath,
          auth: options.fixtures?.auth ?? options.auth,
        },
        options.limits,
      )
    : heuristicHandler({ listIdPath: options.listIdPath, auth: options.auth, limits: options.limits });
  const server = await startMockServer(handler, options);
  const requests = () => (handler.requests?.() ?? []) as RecordedRequest[];
  return {
    url: server.url,
    state: () => handler.state(),
    requests,
    setBehaviour: (behaviour) => server.setBehaviour(behaviour),
    close: () => server.close(),
  };
}
