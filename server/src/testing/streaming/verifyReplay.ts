import type { EndpointSender } from '../send';
import { readMockState, type MockStateRead, type Verification } from '../verify';

/** After a replay against the bundled mock: what it recorded meanwhile against what the replay counted. */
export async function verifyReplay(
  target: string,
  sender: EndpointSender,
  before: MockStateRead | string,
  counted: { requests: number; delivered: number },
): Promise<Verification> {
  const after = await readMockState(target, sender);
  if (typeof after === 'string') return { status: 'unverifiable', message: after, differences: [] };
  const earlier = typeof before === 'string' ? {} : before;
  const received = (after.events?.received ?? 0) - (earlier.events?.received ?? 0);
  const accepted = (after.events?.accepted ?? 0) - (earlier.events?.accepted ?? 0);
  const differences: string[] = [];
  if (received !== counted.requests)
    differences.push(`the mock received ${received} requests, the replay sent ${counted.requests}`);
  if (accepted !== counted.delivered)
    differences.push(`the mock accepted ${accepted}, the replay counted ${counted.delivered} delivered`);
  if (differences.length > 0) return { status: 'mismatch', message: 'The mock recorded other counts.', differences };
  const message = `The mock recorded the same ${received} requests, ${accepted} of them accepted.`;
  return { status: 'verified', message, differences };
}
