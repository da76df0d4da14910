import { decodeText, MAX_MANIFEST_BYTES, MAX_TEXT_BYTES, readUserFile } from '../base/files';
import { parseManifest } from '../manifest/document';
import { buildModel } from '../manifest/model';
import { isObject } from '../base/value';
import type { MockAuth } from './auth';
import { BehaviourError, parseBehaviour, type Behaviour } from './behaviour';
import type { MockFixtures } from './manifestHandler';
import { startMockPartner, type MockOptions } from './mockPartner';
import { parseArgs } from 'util';
import * as path from 'path';
import { workspaceRootOf } from '../base/walk';
import type { DescriptionMockOptions } from './descriptionHandler';
import type { MockServerOptions } from './server';

const USAGE = `Usage: amplitude-integration-mock [--api-description spec.yaml]
       [--manifest m.amplitude.json [--fixtures f.json]] [--port N] [--host H] [--list-id-path path]
       [--bearer TOKEN | --basic KEY:SECRET | --header "Name: value"]
       [--misbehave NAME[:ARG]] [--max-body-bytes N]

A mock partner API for testing integrations.
With --api-description it plays the partner's own API description (OpenAPI 3.0/3.1 or Swagger 2.0, YAML or
JSON) with Stoplight Prism: each request validated against its operation (parameters, security, body); a
refused one gets the 4xx the description documents (else 400) with "violations" in the JSON body; the rest
are answered from the description's examples or schemas. With --manifest too it keeps that manifest's lists
and properties (GET /__mock/state), list creation answering a new id where the description's answer has it.
With --manifest alone it serves that manifest's own routes (method and URL, variables as wildcards), reads
$items, $list_id and $amp_cohort_membership wherever the payload puts them, keeps list membership and
property values for any shape (their types kept), and answers list creation with an id at the manifest's
listIdPath, or at --list-id-path (where the partner puts it, so a manifest reading another path fails).
A list creation fixture's body is the partner's answer: sent as it is, the id found in it registered.
--fixtures sets per route (listCreation, addUsers, removeUsers, update, events) the answers:
  {"listIdType": "number", "routes": {"addUsers": {"status": 207, "body": {...}, "delayMs": 100},
   "events": {"sequence": [{"status": 429, "headers": {"Retry-After": "1"}}, {"status": 200}]}}}
Without --manifest it guesses from URLs and bodies: list creation, add, remove, property updates, events.
Misbehaviours (also switchable at runtime: POST /__mock/behaviour with {"kind": "status:401"} or
{"kind": "status", "arg": "401"}):
  status:CODE[:JSON]  answer CODE with JSON as body, e.g. status:400:{"error_code":1001}
  slow:MS             wait MS before answering      huge:BYTES       a body of BYTES
  reset               drop the connection           invalid-json     a 200 that is not JSON
  rate-limit:SECONDS  429 with Retry-After          redirect-loop    302 to itself
  stall-body          headers, then a body that never ends
  trickle:BYTES/S     a body that never ends, a few bytes at a time
GET /__mock/state shows what it recorded; POST /__mock/reset forgets it.
It listens on loopback only (--host 127.0.0.1, localhost or ::1) and answers only a Host naming loopback;
its /__mock/ routes refuse other origins, and their POSTs take only Content-Type: application/json.`;

class MockUsageError extends Error {
  /** `usage`: whether the usage text helps (not after a description that cannot be read). */
  constructor(
    message: string,
    readonly usage = true,
  ) {
    super(message);
  }
}

function readJson(file: string, what: string, maxBytes: number): unknown {
  const read = readUserFile(file, maxBytes);
  if (!read.ok) throw new MockUsageError(`The ${what} ${file} ${read.reason}.`);
  return decodeText(read);
}

function authOf(values: Record<string, string | boolean | undefined>): MockAuth {
  const auth: MockAuth = {};
  if (typeof values.bearer === 'string') auth.bearer = values.bearer;
  if (typeof values.basic === 'string') {
    const [key, ...secret] = values.basic.split(':');
    auth.basic = { key, secret: secret.join(':') };
  }
  if (typeof values.header === 'string') {
    const [name, ...rest] = values.header.split(':');
    auth.header = { name: name.trim(), value: rest.join(':').trim() };
  }
  return auth;
}

function manifestOptions(
  manifestFile: string,
  fixturesFile: string | undefined,
): Pick<MockOptions, 'manifest' | 'fixtures'> {
  const doc = parseManifest(readJson(manifestFile, 'manifest', MAX_MANIFEST_BYTES) as string);
  if (doc.syntaxProblems.length > 0 || !isObject(doc.value))
    throw new MockUsageError(`${manifestFile} is not a valid manifest: run validate.`);
  let fixtures: MockFixtures | undefined;
  if (fixturesFile) {
    try {
      fixtures = JSON.parse(readJson(fixturesFile, 'fixtures file', MAX_TEXT_BYTES) as string) as MockFixtures;
    } catch (error) {
      if (error instanceof MockUsageError) throw error;
      throw new MockUsageError(`${fixturesFile} is not JSON (${(error as Error).message}).`);
    }
    if (!isObject(fixtures)) throw new MockUsageError(`${fixturesFile} must be a JSON object.`);
  }
  return { manifest: buildModel(doc), fixtures };
}

/** The description-driven mock, loaded only when asked for (Prism is large). Its problems are usage errors. */
async function describedMock(file: string, options: DescriptionMockOptions & MockServerOptions) {
  const { startDescriptionMock, DescriptionMockError } = await import('./descriptionMock.js');
  try {
    const mock = await startDescriptionMock(file, workspaceRootOf(path.resolve(file)), options);
    for (const warning of mock.warnings) process.stderr.write(`mock-server: ${warning}\n`);
    return mock;
  } catch (error) {
    if (error instanceof DescriptionMockError) throw new MockUsageError(error.message, false);
    throw error;
  }
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      manifest: { type: 'string' },
      'api-description': { type: 'string' },
      fixtures: { type: 'string' },
      'list-id-path': { type: 'string' },
      bearer: { type: 'string' },
      basic: { type: 'string' },
      header: { type: 'string' },
      misbehave: { type: 'string' },
      'max-body-bytes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new MockUsageError(`--port must be 0 to 65535, not "${values.port}".`);
  const behaviour: Behaviour | undefined = values.misbehave ? parseBehaviour(values.misbehave) : undefined;
  const maxBodyBytes = values['max-body-bytes'] === undefined ? undefined : Number(values['max-body-bytes']);
  if (maxBodyBytes !== undefined && !(maxBodyBytes > 0))
    throw new MockUsageError('--max-body-bytes must be a positive number.');
  const fromManifest = values.manifest ? manifestOptions(values.manifest, values.fixtures) : {};
  const common = { port, host: values.host, listIdPath: values['list-id-path'], auth: authOf(values), behaviour };
  const description = values['api-description'];
  const mock = description
    ? await describedMock(description, { ...common, ...fromManifest, maxBodyBytes })
    : await startMockPartner({ ...common, maxBodyBytes, ...fromManifest });
  const playing = [description, values.manifest].filter(Boolean).join(' and ');
  process.stdout.write(`Mock partner API listening on ${mock.url}${playing ? ` (playing ${playing})` : ''}\n`);
  const stop = () => void mock.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known =
    (error instanceof MockUsageError && error.usage) ||
    error instanceof BehaviourError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(
    `mock-server: ${error instanceof Error ? error.message : String(error)}${known ? `\n\n${USAGE}` : ''}\n`,
  );
  process.exitCode = 2;
});
