import type { CodeLens } from 'vscode-languageserver-types';
import type { ManifestAnalysis } from '../../analysis';

/**
 * "Test" and "Show request" above each endpoint (or a streaming request, or a source), and "Simulate cohort
 * sync" above the endpoints.
 */
export function codeLenses(analysis: ManifestAnalysis, uri: string): CodeLens[] {
  const { doc, model } = analysis;
  if (doc.syntaxProblems.length > 0) return [];
  const at = (offset: number) => {
    const position = doc.lines.positionAt(offset);
    return { start: position, end: position };
  };
  const pair = (offset: number, title: string, name: string): CodeLens[] => [
    { range: at(offset), command: { title, command: 'amplitude.testEndpoint', arguments: [uri, name] } },
    { range: at(offset), command: { title: 'Show request', command: 'amplitude.showRequest', arguments: [uri, name] } },
  ];
  const lenses = model.endpoints.flatMap((endpoint) =>
    pair(doc.keySpanAt(endpoint.path).start, `$(play) Test ${endpoint.name}`, endpoint.name),
  );
  if (model.endpoints.length > 0) {
    lenses.push({
      range: at(doc.keySpanAt(['endpoints']).start),
      command: { title: '$(run-all) Simulate cohort sync', command: 'amplitude.simulateSync', arguments: [uri] },
    });
  }
  if (model.kind === 'event-ingestion')
    lenses.push(...pair(doc.keySpanAt(['kind']).start, '$(play) Send test events (HTTP API v2)', 'events'));
  if (model.kind === 'event-streaming')
    lenses.push(...pair(doc.keySpanAt(['request']).start, '$(play) Render and send a sample event', 'events'));
  return lenses;
}
