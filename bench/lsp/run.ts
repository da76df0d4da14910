import { percentile } from '../../server/src/base/stats';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { CompletionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MANIFEST_SCHEMA, MANIFEST_SCHEMA_ID } from '../../server/src/manifest/schema';
import { fileUri, LspTestClient, REPO } from '../../test/helpers/lspClient';
import { generateLargeManifest } from './generate';

function summary(samples: number[]): { p50: number; p95: number } {
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - before.lastIndexOf('\n') - 1 };
}

/** vscode-json-languageservice validating the same text against the same schema: the reference. */
async function referenceValidation(text: string, runs: number): Promise<number[]> {
  const service = getLanguageService({});
  service.configure({
    validate: true,
    allowComments: true,
    schemas: [{ uri: MANIFEST_SCHEMA_ID, fileMatch: ['*'], schema: MANIFEST_SCHEMA }],
  });
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    // A new version each time, as after an edit: parse + validate.
    const variant = text.replace('"Bench"', `"Bench ${i}"`);
    const document = TextDocument.create('file:///bench.amplitude.json', 'jsonc', i + 1, variant);
    const start = performance.now();
    const json = service.parseJSONDocument(document);
    await service.doValidation(document, json, { comments: 'ignore', trailingCommas: 'error' });
    samples.push(performance.now() - start);
  }
  return samples;
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 20);
  const text = generateLargeManifest();
  const file = path.join(REPO, 'bench', 'lsp', 'generated.amplitude.json');
  const uri = fileUri(file);
  const client = new LspTestClient();
  try {
    await measure(client, text, uri, runs);
  } finally {
    await client.stop();
  }
}

/** Every tenth-ish use of a field becomes an undeclared `$ghost_N`: hundreds of diagnostics. */
function withProblems(text: string): string {
  return text.replace(/\$field_(\d*7)"/g, '$$ghost_$1"');
}

const results: { broken?: { ms: number[]; count: number }; rssAfterProblemsMb?: number } = {};

async function measure(client: LspTestClient, text: string, uri: string, runs: number): Promise<void> {
  await client.initialize();

  const first = await client.open(uri, text);
  // Each edit is what an editor sends: a small incremental change (here, the display name's text).
  const nameAt = text.indexOf('"Bench"') + 1;
  const nameLine = text.slice(0, nameAt).split('\n').length - 1;
  const nameColumn = nameAt - text.lastIndexOf('\n', nameAt - 1) - 1;
  let current = 'Bench';
  const editName = (next: string) => {
    const range = {
      start: { line: nameLine, character: nameColumn },
      end: { line: nameLine, character: nameColumn + current.length },
    };
    current = next;
    return client.edit(uri, range, next);
  };
  const diagnosticsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const diagnostics = await editName(`Bench ${i}`);
    diagnosticsMs.push(performance.now() - start);
    if (diagnostics.length !== first.length) throw new Error('an edit of the display name changed the diagnostics');
  }

  const completionMs: number[] = [];
  const hoverMs: number[] = [];
  const final = text.replace('"Bench"', `"Bench ${runs - 1}"`);
  const dollarOffsets: number[] = [];
  for (
    let at = final.indexOf('"$field_');
    at >= 0 && dollarOffsets.length < 200;
    at = final.indexOf('"$field_', at + 5000)
  )
    dollarOffsets.push(at + 2);
  const keyOffsets: number[] = [];
  for (
    let at = final.indexOf('"displayName": "Field');
    at >= 0 && keyOffsets.length < 100;
    at = final.indexOf('"displayName": "Field', at + 9000)
  )
    keyOffsets.push(at + 3);
  for (const offset of dollarOffsets) {
    const position = positionAt(final, offset);
    let start = performance.now();
    const completion = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    completionMs.push(performance.now() - start);
    if (!completion || (Array.isArray(completion) ? completion : completion.items).length < 1000)
      throw new Error('completion did not offer the declared variables');
    start = performance.now();
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: position.line, character: position.character + 2 },
    });
    hoverMs.push(performance.now() - start);
    if (!hover) throw new Error('no hover on a variable');
  }
  for (const offset of keyOffsets) {
    const start = performance.now();
    await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: positionAt(final, offset),
    });
    hoverMs.push(performance.now() - start);
  }
  const status = fs.readFileSync(`/proc/${client.process.pid}/status`, 'utf8');
  const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  // The same edits on a manifest with hundreds of problems: every diagnostic needs exact offsets.
  const brokenText = withProblems(text);
  const brokenMs: number[] = [];
  let brokenCount = 0;
  await client.change(uri, brokenText);
  current = 'Bench';
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    brokenCount = (await editName(`Bench ${i}`)).length;
    brokenMs.push(performance.now() - start);
  }
  if (brokenCount < 100) throw new Error(`expected hundreds of undeclared variables, got ${brokenCount}`);
  results.broken = { ms: brokenMs, count: brokenCount };

  results.rssAfterProblemsMb =
    Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${client.process.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

  const reference = await referenceValidation(text, runs);
  const brokenReference = await referenceValidation(withProblems(text), runs);
  const ours = summary(diagnosticsMs);
  const theirs = summary(reference);
  const completion = summary(completionMs);
  const hover = summary(hoverMs);
  const ratio = ours.p50 / theirs.p50;
  const broken = summary(results.broken?.ms ?? [NaN]);
  const brokenRatio = broken.p50 / summary(brokenReference).p50;
  const fmt = (n: number) => n.toFixed(1);
  const checks = [
    {
      name: 'diagnostics after an edit (p50, over stdio) vs vscode-json-languageservice validation (p50, in-process)',
      ok: ratio <= 0.5,
      figure: `${fmt(ours.p50)} ms vs ${fmt(theirs.p50)} ms = ${ratio.toFixed(2)}x (target <= 0.5x)`,
    },
    {
      name: `the same with ${results.broken?.count ?? 0} problems (every one needs exact offsets)`,
      ok: brokenRatio <= 1.0,
      figure:
        `${fmt(broken.p50)} ms vs ${fmt(summary(brokenReference).p50)} ms = ${brokenRatio.toFixed(2)}x ` +
        `(target <= 1.0x); p95 ${fmt(broken.p95)} ms`,
    },
    { name: 'diagnostics after an edit, p95', ok: ours.p95 < 150, figure: `${fmt(ours.p95)} ms (target < 150 ms)` },
    {
      name: 'completion p50 / p95',
      ok: completion.p95 < 30,
      figure: `${fmt(completion.p50)} / ${fmt(completion.p95)} ms (target p95 < 30 ms)`,
    },
    {
      name: 'hover p50 / p95',
      ok: hover.p95 < 30,
      figure: `${fmt(hover.p50)} / ${fmt(hover.p95)} ms (target p95 < 30 ms)`,
    },
    { name: 'server RSS', ok: rssMb < 150, figure: `${fmt(rssMb)} MB (target < 150 MB)` },
  ];
  console.log(
    `bench/lsp: ${(text.length / 1e6).toFixed(2)} MB manifest, ${(text.match(/\$field_/g) ?? []).length} variable references, ${first.length} diagnostics, ${runs} edits`,
  );
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.figure}`);
  console.log(`INFO  server RSS after the edits with problems: ${fmt(results.rssAfterProblemsMb ?? NaN)} MB`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
