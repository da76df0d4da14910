import type { CodeLens } from 'vscode-languageserver-types';
import type { ManifestAnalysis } from '../analysis';

/** "Test" above each endpoint, "Simulate cohort sync" above the endpoints, "Send test events" for a source. */
export function codeLenses(analysis: ManifestAnalysis, uri: string): CodeLens[] {
  const { doc, model } = analysis;
  if (doc.syntaxProblems.length > 0) return [];
  const at = (offset: number) => {
    const position = doc.lines.positionAt(offset);
    return { start: position, end: position };
  };
  const lenses: CodeLens[] = model.endpoints.map((endpoint) => ({
    range: at(doc.keySpanAt(endpoint.path).start),
    command: {
      title: `$(play) Test ${endpoint.name}`,
      command: 'amplitude.testEndpoint',
      arguments: [uri, endpoint.name],
    },
  }));
  if (model.endpoints.length > 0) {
    lenses.push({
      range: at(doc.keySpanAt(['endpoints']).start),
      command: { title: '$(run-all) Simulate cohort sync', command: 'amplitude.simulateSync', arguments: [uri] },
    });
  }
  if (model.kind === 'event-ingestion' || model.kind === 'event-streaming') {
    const title =
      model.kind === 'event-ingestion'
        ? '$(play) Send test events (HTTP API v2)'
        : '$(play) Render and send a sample event';
    lenses.push({
      range: at(doc.keySpanAt(model.kind === 'event-streaming' ? ['request'] : ['kind']).start),
      command: { title, command: 'amplitude.testEndpoint', arguments: [uri, 'events'] },
    });
  }
  return lenses;
}
