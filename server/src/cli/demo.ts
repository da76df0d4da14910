import * as fs from 'fs';
import * as path from 'path';
import { analyzeManifest, type ManifestAnalysis } from '../analysis';
import { startMockPartner } from '../mock/mockPartner';
import { nodeFiles } from '../manifest/nodeFiles';
import { stringAt } from '../manifest/value';
import { buildIngestionRequest, endpointNames, retarget, simulateSync, testEndpoint } from '../testing/run';
import { EndpointSender } from '../testing/send';
import { DEFAULT_TEST_VALUES, type TestValues } from '../testing/values';
import { FreemarkerWorker, locateEngine } from '../freemarker/engine';
import { SAMPLE_EVENTS } from '../freemarker/sampleEvents';
import { buildStreamingRequest, renderBody } from '../freemarker/streaming';
import { WORKER_DIR } from './renderCommand';
import type { Io } from './testCommands';
import { collectManifests, validateFile } from './validate';

const DEMO_SECRETS = { bearer: 'demo-bearer-token', key: 'demo-api-key', secret: 'demo-api-secret' };

/** Values a customer would type, for the bundled examples. */
function demoValues(analysis: ManifestAnalysis): TestValues {
  const variables: Record<string, string> = {
    bearer_token: DEMO_SECRETS.bearer,
    api_key: DEMO_SECRETS.key,
    api_secret: DEMO_SECRETS.secret,
  };
  for (const d of analysis.model.declarations) {
    if (d.source === 'customField' && variables[d.name] === undefined)
      variables[d.name] =
        d.name === 'region' ? 'us' : d.name.includes('prefix') ? 'amp_' : `demo-${d.name.replace(/_/g, '-')}`;
  }
  return { ...DEFAULT_TEST_VALUES, variables };
}

function ms(n: number): string {
  return `${n.toFixed(0)} ms`;
}

/**
 * The headless demo: a mock partner API, the examples validated, every cohort endpoint tested, an error
 * classified, a whole sync simulated, the ingestion request sent. Exit 0 when all went as expected.
 */
export async function demoCommand(examplesDir: string, io: Io): Promise<number> {
  let failures = 0;
  const check = (ok: boolean, line: string) => {
    if (!ok) failures++;
    io.out(`  ${ok ? 'ok  ' : 'FAIL'} ${line}`);
  };
  io.out('Amplitude integration tools: headless demo\n');

  const files = collectManifests([examplesDir]);
  const diagnostics = files.flatMap(validateFile);
  io.out(`1. validate ${path.relative(process.cwd(), examplesDir) || '.'}`);
  check(
    diagnostics.filter((d) => d.severity === 'error').length === 0,
    `${files.length} manifests, ${diagnostics.length} diagnostics`,
  );

  let step = 2;
  for (const file of files) {
    const analysis = analyzeManifest(fs.readFileSync(file, 'utf8'), { baseDir: path.dirname(file), files: nodeFiles });
    const name =
      stringAt(
        analysis.doc.value && typeof analysis.doc.value === 'object'
          ? (analysis.doc.value as Record<string, unknown>).connection
          : undefined,
        'displayName',
      ) ?? path.basename(file);
    const kind = analysis.model.kind;
    const listIdPath = stringAt(analysis.model.endpoints.find((e) => e.name === 'listCreation')?.value, 'listIdPath');
    const mock = await startMockPartner({
      listIdPath,
      auth: { bearer: DEMO_SECRETS.bearer, basic: { key: DEMO_SECRETS.key, secret: DEMO_SECRETS.secret } },
    });
    const sender = new EndpointSender({
      connectTimeoutMs: 5000,
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      maxResponseBytes: 10 * 1024 * 1024,
      connections: 4,
    });
    io.out(`\n${step++}. ${name} (${kind}) against the mock partner API at ${mock.url}`);
    try {
      const values = demoValues(analysis);
      if (kind === 'cohort-list' || kind === 'cohort-property') {
        let listId: string | undefined;
        for (const endpoint of endpointNames(analysis)) {
          const r = await testEndpoint(analysis, endpoint, { values, listId, target: mock.url }, sender);
          if (r.listId?.ok) listId = r.listId.listId;
          const outcome = r.result.ok
            ? `${r.result.status} ${r.result.statusText} in ${ms(r.result.timing.totalMs)}`
            : r.result.message;
          check(
            r.result.ok && r.result.status === 200 && r.listId?.ok !== false,
            `${endpoint.padEnd(12)} ${r.request.method} ${new URL(r.request.url).pathname} -> ${outcome}${r.listId?.ok ? `, list id ${r.listId.listId}` : ''}`,
          );
        }
        mock.setBehaviour({ kind: 'status', status: 401, body: { error: 'invalid api key' } });
        const first = endpointNames(analysis)[0];
        const failed = await testEndpoint(analysis, first, { values, listId, target: mock.url }, sender);
        check(
          failed.classification?.kind === 'classified',
          `${first} answered 401 -> classified as "${failed.classification?.failureReason}": ${failed.classification?.message}`,
        );
        mock.setBehaviour({ kind: 'status', status: 418 });
        const odd = await testEndpoint(analysis, first, { values, listId, target: mock.url }, sender);
        check(
          odd.classification?.kind === 'unclassified',
          `${first} answered 418 -> unclassified, Amplitude's default message`,
        );
        mock.setBehaviour({ kind: 'ok' });
        const summary = await simulateSync(analysis, { values, add: 25_000, remove: 2_500, target: mock.url }, sender);
        check(
          summary.problem === undefined && Object.keys(summary.statusCounts).every((s) => s === '200'),
          `simulated sync: ${summary.users.added} users added, ${summary.users.removed} removed, ${summary.requests} requests, latency p50 ${ms(summary.latencyMs.p50)} / p95 ${ms(summary.latencyMs.p95)}`,
        );
        if (kind === 'cohort-property') {
          const memberships = Object.values(mock.state().properties);
          const entered = memberships.filter((member) => member).length;
          check(
            entered === summary.users.added - summary.users.removed &&
              memberships.length - entered === summary.users.removed,
            `the partner's property after the sync ($amp_cohort_membership): ${entered} users true, ${memberships.length - entered} false`,
          );
        }
      } else if (kind === 'event-ingestion') {
        const request = retarget(
          buildIngestionRequest(analysis.doc.value, 'demo-project-api-key'),
          `${mock.url}/2/httpapi`,
        );
        const result = await sender.send(request);
        check(
          result.ok && result.status === 200,
          `HTTP API v2 request with partner_id "${stringAt(analysis.doc.value, 'partnerId')}" -> ${result.ok ? `${result.status} ${result.statusText}, mock received ${mock.state().events} events` : result.message}`,
        );
      } else if (kind === 'event-streaming') {
        const location = locateEngine({ workerDir: WORKER_DIR });
        if ('problem' in location) {
          check(false, location.problem);
        } else {
          const worker = new FreemarkerWorker(location);
          try {
            const version = await worker.start();
            const parameters = { region: 'us', api_key: DEMO_SECRETS.bearer, app_id: 'demo-app' };
            for (const sample of SAMPLE_EVENTS.slice(0, 3)) {
              const rendered = await renderBody(
                worker,
                analysis.doc.value,
                path.dirname(file),
                sample.event,
                parameters,
              );
              if (!rendered.result.ok) {
                check(false, `render "${sample.name}" with FreeMarker ${version}: ${rendered.result.error.message}`);
                continue;
              }
              const request = retarget(
                buildStreamingRequest(analysis.doc.value, rendered.result.output, parameters),
                mock.url,
              );
              const result = await sender.send(request);
              check(
                !rendered.jsonProblem && result.ok && result.status === 200,
                `"${sample.name}" rendered with FreeMarker ${version} in ${ms(rendered.result.ms)} (valid JSON: ${rendered.jsonProblem ? 'no' : 'yes'}), ${request.method} ${new URL(request.url).pathname} with User-Agent ${request.headers['User-Agent']} -> ${result.ok ? `${result.status} ${result.statusText}` : result.message}`,
              );
            }
          } finally {
            worker.dispose();
          }
        }
      }
    } finally {
      await sender.close();
      await mock.close();
    }
  }
  io.out(
    `\n${failures === 0 ? 'Demo finished: everything answered as expected.' : `Demo finished with ${failures} unexpected result(s).`}`,
  );
  return failures === 0 ? 0 : 1;
}
