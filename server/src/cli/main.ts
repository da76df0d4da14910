import * as path from 'path';
import { demoCommand } from './demo';
import { previewCommand } from './previewCommand';
import { renderCommand, WORKER_DIR } from './renderCommand';
import { simulateCommand, testCommand } from './testCommands';
import { FreemarkerWorker, locateEngine, type EngineProblem } from '../freemarker/engine';
import { collectManifests, formatText, UsageError, validateFileAndTemplate, type FileDiagnostic } from './validate';

const USAGE = `Usage: amplitude-integration <command> [options]

Commands:
  validate <files or folders...> [--format text|json]
      Checks integration manifests (*.amplitude.json) with the same checks as the editor, and the
      body templates of event streaming manifests (with the FreeMarker engine when Java is there).
      Exit code: 1 if any error was found, 0 otherwise, 2 on bad usage or unreadable input.
  test <manifest> [--endpoint name] [--values values.json] [--users N | --users-csv users.csv]
       [--list-id id] [--target http://host:port] [--timeout ms] [--format text|json]
       [--membership entered|left]
      Sends one test request as Amplitude would and prints status, classification and time.
      --membership: a property-based update for users who entered (default) or left the cohort.
      Exit code: 1 on a non-2xx answer or a failed request.
  simulate <manifest> [--users N] [--remove M] [--values values.json] [--target url]
      Runs a whole cohort sync: list creation, adds in batches (4 in flight), removes; prints a summary.
      Property-based: update calls with $amp_cohort_membership true for the added users, then false.
  render <template.ftl> [--manifest m] [--event e.json | --sample "Email Open"] [--parameters p.json]
         [--jar freemarker.jar] [--timeout ms]
      Renders an event body template with the real FreeMarker engine and prints the output.
      Exit code: 1 with the engine's message when rendering fails or the output is not JSON.
  preview <manifest> --out <file.html>
      Writes what Amplitude's customers will see (tile, setup modal or source steps, variables) as a page.
  demo [examples-folder]
      Starts the bundled mock partner API and runs validate, test and simulate on the examples.

Test values: --values names a JSON file {"bearer_token": "...", "workspace_id": "..."}; environment
variables AMPLITUDE_VALUE_<NAME> override it (keep secrets there in CI). Secrets are masked in output.

Text output: file:line:column severity code message (1-based line and column).
JSON output: [{ file, range: { start: { line, character }, end }, severity, code, message }] (0-based, as in LSP).`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

function parseFormat(args: string[]): { format: 'text' | 'json'; rest: string[] } {
  let format: 'text' | 'json' = 'text';
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value =
      arg === '--format' ? args[++i] : arg.startsWith('--format=') ? arg.slice('--format='.length) : undefined;
    if (arg === '--format' || arg.startsWith('--format=')) {
      if (value !== 'text' && value !== 'json')
        throw new UsageError(`--format must be "text" or "json"${value === undefined ? '' : `, not "${value}"`}.`);
      format = value;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`Unknown option ${arg}.`);
    } else {
      rest.push(arg);
    }
  }
  return { format, rest };
}

async function validateCommand(args: string[], io: Io): Promise<number> {
  const { format, rest } = parseFormat(args);
  if (rest.length === 0) throw new UsageError('validate needs at least one file or folder.');
  const files = collectManifests(rest);
  if (files.length === 0) throw new UsageError(`No *.amplitude.json manifests found in ${rest.join(', ')}.`);
  // One FreeMarker worker for every template, started only if a streaming manifest names one.
  let engine: FreemarkerWorker | EngineProblem | undefined;
  const engineFor = () => {
    if (!engine) {
      const location = locateEngine({ workerDir: WORKER_DIR });
      engine = 'problem' in location ? location : new FreemarkerWorker(location);
    }
    return engine;
  };
  const diagnostics: FileDiagnostic[] = [];
  try {
    for (const file of files) diagnostics.push(...(await validateFileAndTemplate(file, engineFor)));
  } finally {
    if (engine instanceof FreemarkerWorker) engine.dispose();
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (format === 'json') {
    io.out(JSON.stringify(diagnostics, null, 2));
  } else {
    if (diagnostics.length > 0) io.out(formatText(diagnostics));
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    io.err(
      `${files.length} manifest${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${diagnostics.length - errors - warnings} other.`,
    );
  }
  return errors > 0 ? 1 : 0;
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'validate':
        return await validateCommand(args, io);
      case 'test':
        return await testCommand(args, io);
      case 'simulate':
        return await simulateCommand(args, io);
      case 'render':
        return await renderCommand(args, io);
      case 'preview':
        return previewCommand(args, io);
      case 'demo':
        return await demoCommand(path.resolve(args[0] ?? 'examples'), io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`amplitude-integration: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`amplitude-integration: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
