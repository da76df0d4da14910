import { startMockPartner, type Behaviour, type MockAuth } from './mockPartner';

const USAGE = `Usage: node dist/mock-server.js [--port N] [--host H] [--list-id-path path]
       [--bearer TOKEN | --basic KEY:SECRET | --header "Name: value"] [--misbehave NAME[:ARG]]

A mock partner API for testing integrations: list creation (answers with a new list id), add and
remove users (checks auth, keeps membership), property updates and event intake.
Misbehaviours (also switchable at runtime: POST /__mock/behaviour with {"kind": ...}):
  status:CODE[:JSON]  answer CODE with JSON as body, e.g. status:400:{"error_code":1001}
  slow:MS             wait MS before answering      huge:BYTES       a body of BYTES
  reset               drop the connection           invalid-json     a 200 that is not JSON
  rate-limit:SECONDS  429 with Retry-After          redirect-loop    302 to itself
  stall-body          headers, then a body that never ends
GET /__mock/state shows lists, properties and counts.`;

function parseBehaviour(spec: string): Behaviour {
  const [kind, ...rest] = spec.split(':');
  const arg = rest.join(':');
  switch (kind) {
    case 'ok':
      return { kind: 'ok' };
    case 'status': {
      const [code, ...body] = arg.split(':');
      return {
        kind: 'status',
        status: Number(code),
        body: body.length ? (JSON.parse(body.join(':')) as unknown) : undefined,
      };
    }
    case 'slow':
      return { kind: 'slow', delayMs: Number(arg || 5000) };
    case 'huge':
      return { kind: 'huge', bytes: Number(arg || 20 * 1024 * 1024) };
    case 'reset':
      return { kind: 'reset' };
    case 'invalid-json':
      return { kind: 'invalid-json' };
    case 'rate-limit':
      return { kind: 'rate-limit', retryAfterSeconds: Number(arg || 30) };
    case 'redirect-loop':
      return { kind: 'redirect-loop' };
    case 'stall-body':
      return { kind: 'stall-body' };
    default:
      throw new Error(`Unknown misbehaviour "${kind}".`);
  }
}

async function main(argv: string[]): Promise<void> {
  let port = 8787;
  let host = '127.0.0.1';
  let listIdPath: string | undefined;
  const auth: MockAuth = {};
  let behaviour: Behaviour | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value.`);
      return v;
    };
    switch (argv[i]) {
      case '--port':
        port = Number(value());
        break;
      case '--host':
        host = value();
        break;
      case '--list-id-path':
        listIdPath = value();
        break;
      case '--bearer':
        auth.bearer = value();
        break;
      case '--basic': {
        const [key, ...secret] = value().split(':');
        auth.basic = { key, secret: secret.join(':') };
        break;
      }
      case '--header': {
        const [name, ...rest] = value().split(':');
        auth.header = { name: name.trim(), value: rest.join(':').trim() };
        break;
      }
      case '--misbehave':
        behaviour = parseBehaviour(value());
        break;
      case '-h':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        return;
      default:
        throw new Error(`Unknown option ${argv[i]}.`);
    }
  }
  const mock = await startMockPartner({ port, host, listIdPath, auth, behaviour });
  process.stdout.write(`Mock partner API listening on ${mock.url}\n`);
  const stop = () => void mock.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`mock-server: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exitCode = 2;
});
