import * as path from 'path';
import { FileRefusedError } from '../base/files';
import { terminalText, withoutControls } from '../base/terminal';
import { FileWriteRefusedError } from '../base/writes';
import { UsageError, type Io } from './io';
import PACKAGE from '../../../package.json';

export const USAGE = `Usage: amplitude-integration <command> [options]

Commands:
  validate <files or folders...> [--format text|json|sarif|junit|github [--output file]]...
           [--fail-on error|warning|info|none] [--jar freemarker.jar] [--api-description openapi.yaml]
      Checks integration manifests (*.amplitude.json) with the same checks as the editor, and the
      body templates of event streaming manifests (with the FreeMarker engine when Java is there).
      With the partner's API description (the manifest's apiDescription, or --api-description:
      OpenAPI 3.0/3.1 or Swagger 2.0), also the contract checks: each request against the API.
      Several --format/--output pairs write several reports in one run (one format may go to stdout).
      sarif: SARIF 2.1.0 for code scanning; junit: a test report; github: workflow annotations, the
      default when GITHUB_ACTIONS=true, with the full list also in $GITHUB_STEP_SUMMARY.
      Exit code: 1 if a problem is at or above --fail-on (default error), 0 otherwise, 2 on bad usage
      or unreadable input.
  test <manifest> [--endpoint name] [--values values.json] [--users N | --users-csv users.csv]
       [--list-id id] [--membership entered|left] [--sample name | --event e.json]
       [--target http://host:port] [--timeout ms] [--format text|json|junit] [--dry-run]
      Sends one test request as Amplitude would and prints status, classification and time.
      --list-id: 123 is sent as a number, "123" (quoted) or abc as a string.
      --membership: a property-based update for users who entered (default) or left the cohort.
      --timeout: each request's whole deadline, from connecting to the last byte (default 120000).
      --dry-run: print the exact request (secrets masked) and send nothing.
      --format junit: without --endpoint, every endpoint in order (one test case each).
      --api-description spec.yaml (or the manifest's "apiDescription", without --target): against a mock
      playing the partner's OpenAPI/Swagger description, which refuses what the real API would refuse.
      Exit code: 1 on a failed request, an error status, an error row matching a 2xx, or no list id.
  simulate <manifest> [--users N] [--remove M | --users-csv users.csv] [--values values.json]
           [--list-id id] [--target url] [--timeout ms] [--format text|json|junit] [--dry-run]
      Runs a whole cohort sync: list creation, adds in batches (4 in flight), removes; prints a summary.
      Property-based: update calls with $amp_cohort_membership true for the added users, then false.
      Against the bundled mock it then compares the partner's end state with what the sync meant.
      --api-description spec.yaml (or the manifest's "apiDescription", without --target): against a mock
      playing that description; what it refused is printed after the summary (exit 1 if anything).
      A failed request is retried as Amplitude does (8 retries from 1 s doubling; waits x --time-scale).
      [--syncs N] [--cohorts K] [--churn 0.1|25] [--seed S]: N syncs as Amplitude schedules them (a full
      sync, then deltas where --churn users leave and as many enter each cohort), K cohorts (--users
      each) to one destination, each reusing its list id; the end state checked after every sync.
      Event streaming: a stream replay. [--events N] [--events-file f.ndjson] [--concurrency C]
      [--rate-limit per-minute] [--time-scale 0.001]: N events (generated like Braze Currents events,
      or the file's, cycled) through the real template, with Amplitude's delivery semantics (3 tries in an
      attempt on 5xx/429; 10 attempts over 4 hours whatever the error, scaled by --time-scale; then a drop),
      your declared rate limit and limits; it reports throughput, statuses, retries, drops, render failures
      and limit breaks.
      Exit code: 1 on any failed request or a mismatched end state.
  render <template.ftl> [--manifest m] [--event e.json | --sample "Email Open"] [--parameters p.json]
         [--jar freemarker.jar] [--timeout ms]
      Renders an event body template with the real FreeMarker engine and prints the output.
      Exit code: 1 with the engine's message when rendering fails or the output is not JSON.
  export <manifest> [--format portal|json] [--out file.html|file.md] [--values values.json]
      Everything to enter in the Integration Portal, in the order of its form: payloads in the portal
      editor's syntax, every error row, the values for its test. HTML has a copy button and a checkbox
      per field; Markdown (the default on stdout) a task list.
  import --payload <file|-> | --item-template <file|-> | --curl <file|-> [--kind k] [--endpoint name]
         [--template-out body.ftl]
      The portal's text back into the manifest: a payload as its editor shows it ("userIds": $items)
      becomes the manifest's JSON (or payloadText when JSON cannot say it); a cURL command (the
      portal's test request, or event streaming's Test Payload) becomes the endpoint or request.
  import --api-description <openapi.yaml> --operation <operationId | "METHOD /path">
         [--role listCreation|addUsers|removeUsers|update|events|identify] [--into m.amplitude.json]
         [--template-out body.ftl]
      One operation of your API description as an endpoint: the URL ({param} as variables), method,
      authentication and its header, a payload skeleton ($items at the user array, the item template from
      its items, batchSize from maxItems, listIdPath from the answer). --into merges it into the manifest
      (comments kept; existing authentication and headers kept); otherwise it is printed.
  diff <old.amplitude.json> <new.amplitude.json> | diff <manifest> --base <git revision>
       [--format text|json|sarif|junit|github [--output file]]... [--fail-on breaking|risky|none]
      Every change classified for customers who already set the integration up: breaking (a removed
      or renamed field, a new field without a default, a lost option value, a new list id path),
      risky (a new URL, payload or header) or safe, with why. Exit 1 on --fail-on's level or above.
  preview <manifest> --out <file.html>
      Writes what Amplitude's customers will see (tile, setup modal or source steps, variables) as a page.
  demo [examples-folder]
      Starts the bundled mock partner API and runs validate, test and simulate on the examples.

Test values: --values names a JSON file {"bearer_token": "...", "workspace_id": "..."}; environment
variables AMPLITUDE_VALUE_<NAME> override it (keep secrets there in CI). Secrets are masked in output.

Output files (--output, --out, --template-out): a relative path stays inside the current folder, an
absolute path may name any folder; an existing regular file is replaced, a symbolic link, device or
pipe is refused and never written through.

Text output: file:line:column severity code message (1-based line and column).
JSON output: [{ file, range: { start: { line, character }, end }, severity, code, message }] (0-based, as in LSP).`;

type Command = (args: string[], io: Io) => number | Promise<number>;

/** Each command loads its own code when it runs: `validate` does not pay for HTTP, the mock or the portal. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./validateCommand.js')).validateCommand,
  test: async () => (await import('./testCommand.js')).testCommand,
  simulate: async () => (await import('./simulateCommand.js')).simulateCommand,
  render: async () => (await import('./renderCommand.js')).renderCommand,
  preview: async () => (await import('./previewCommand.js')).previewCommand,
  export: async () => (await import('./portalCommands.js')).exportCommand,
  diff: async () => (await import('./diffCommand.js')).diffCommand,
  import: async () => (await import('./portalCommands.js')).importCommand,
  demo: async () => {
    const { demoCommand } = await import('./demo.js');
    return (args, io) => demoCommand(path.resolve(args[0] ?? 'examples'), io);
  },
};

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--version' || command === '-v') {
    io.out(PACKAGE.version);
    return 0;
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!load) throw new UsageError(`Unknown command "${command}".`);
    const run = await load();
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`amplitude-integration: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof FileRefusedError || error instanceof FileWriteRefusedError) {
      io.err(`amplitude-integration: ${error.message}`);
      return 2;
    }
    io.err(`amplitude-integration: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

/** The command line of this process, its output to stdout and stderr, its exit code set. */
export function runFromProcess(): void {
  void runCli(process.argv.slice(2), {
    // Every output through the one printer for untrusted text: names, keys and answers come from others.
    out: (text) => process.stdout.write(`${terminalText(text)}\n`),
    err: (text) => process.stderr.write(`${terminalText(text)}\n`),
    verbatim: (text, colored) => process.stdout.write(`${withoutControls(text, colored)}\n`),
    isTTY: process.stdout.isTTY,
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runFromProcess();
