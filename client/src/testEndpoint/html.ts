import { escapeHtml } from '../../../server/src/preview/html';
import type { Classification } from '../../../server/src/testing/classify';
import type { ListIdResult } from '../../../server/src/testing/listId';
import { mask } from '../../../server/src/base/mask';
import type { BuiltRequest } from '../../../server/src/testing/request';
import type { SendResult } from '../../../server/src/testing/send';

/** Everything the response panel shows; secrets are masked before they reach the HTML. */
export interface ResponseView {
  title: string;
  request: BuiltRequest;
  batches: number;
  result: SendResult;
  classification?: Classification;
  listId?: ListIdResult;
}

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function headerRows(headers: Record<string, string>, hide: (text: string) => string): string {
  return Object.entries(headers)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${hide(v)}</td></tr>`)
    .join('');
}

function statusClass(status: number): string {
  return status >= 200 && status < 300 ? 'ok' : status >= 300 && status < 400 ? 'warn' : 'error';
}

const MAX_SHOWN = 200_000;

function clip(text: string): string {
  return text.length > MAX_SHOWN
    ? `${text.slice(0, MAX_SHOWN)}\n… (${text.length - MAX_SHOWN} more characters: use "Open body in editor")`
    : text;
}

/** The panel's HTML: strict CSP with a fresh nonce, no remote content, every value escaped. */
export function renderResponseHtml(view: ResponseView, nonce: string, cspSource: string): string {
  const secrets = view.request.secrets;
  const hide = (text: string) => escapeHtml(mask(text, secrets));
  const r = view.result;
  const sent = `
    <section><h2>Sent</h2>
      <p class="line"><span class="method">${escapeHtml(view.request.method)}</span> <code>${hide(view.request.url)}</code>${view.batches > 1 ? ` <span class="muted">batch 1 of ${view.batches}</span>` : ''}</p>
      <table>${headerRows(view.request.headers, hide)}</table>
      ${view.request.body ? `<pre>${hide(clip(prettyBody(view.request.body)))}</pre>` : '<p class="muted">No body.</p>'}
    </section>`;
  let received: string;
  if (!r.ok) {
    received = `<section><h2>Failed</h2><p class="status error">${hide(r.message)}</p><p class="muted">after ${r.timing.totalMs.toFixed(0)} ms</p></section>`;
  } else {
    const c = view.classification;
    received = `
    <section><h2>Received</h2>
      <p class="status ${statusClass(r.status)}">${r.status} ${escapeHtml(r.statusText)}</p>
      ${c ? `<div class="classification ${c.kind}"><strong>${c.kind === 'classified' ? `Classified: ${escapeHtml(c.failureReason)}` : 'Unclassified'}</strong>${c.from && c.from !== view.request.endpoint ? ` <span class="muted">(errors copied from ${escapeHtml(c.from)})</span>` : ''}<p>${escapeHtml(c.message)}</p></div>` : ''}
      ${view.listId ? `<p class="${view.listId.ok ? 'ok' : 'error'}">${view.listId.ok ? `List id: <code>${hide(String(view.listId.listId))}</code>` : hide(view.listId.problem)}</p>` : ''}
      ${r.headers['retry-after'] ? `<p class="warn">Retry-After: ${hide(r.headers['retry-after'])} <span class="muted">(Amplitude retries with exponential backoff)</span></p>` : ''}
      ${r.redirectTo ? `<p class="warn">Redirect to <code>${hide(r.redirectTo)}</code>: not followed (Amplitude does not follow redirects).</p>` : ''}
      <p class="muted">${r.timing.totalMs.toFixed(0)} ms total: waiting ${r.timing.waitingMs.toFixed(0)} ms, download ${r.timing.downloadMs.toFixed(0)} ms · ${r.bytes} bytes${r.truncated ? ' (truncated at the size limit)' : ''}</p>
      <details><summary>Headers</summary><table>${headerRows(r.headers, hide)}</table></details>
      <pre>${hide(clip(prettyBody(r.body)))}</pre>
    </section>`;
  }
  const actions = `<nav>
      <button data-action="openBody">Open body in editor</button>
      <button data-action="copyCurl">Copy as cURL</button>
      <button data-action="saveResponse">Save response</button>
      <button data-action="rerun">Send again</button>
    </nav>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(view.title)}</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; }
  h1 { font-size: 1.2em; } h2 { font-size: 1em; text-transform: uppercase; letter-spacing: .05em; color: var(--vscode-descriptionForeground); }
  pre, code { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
  pre { background: var(--vscode-textCodeBlock-background); padding: 8px; overflow: auto; max-height: 50vh; white-space: pre-wrap; word-break: break-all; }
  table { border-collapse: collapse; } th { text-align: left; padding-right: 12px; font-weight: normal; color: var(--vscode-descriptionForeground); } td { word-break: break-all; }
  .status { font-size: 1.4em; font-weight: 600; } .ok { color: var(--vscode-testing-iconPassed); } .warn { color: var(--vscode-editorWarning-foreground); } .error { color: var(--vscode-errorForeground); }
  .classification { border-left: 3px solid var(--vscode-editorWarning-foreground); padding: 4px 8px; margin: 8px 0; } .classification.unclassified { border-color: var(--vscode-errorForeground); }
  .muted { color: var(--vscode-descriptionForeground); } .method { font-weight: 600; }
  nav { display: flex; gap: 8px; margin: 12px 0; flex-wrap: wrap; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 4px 12px; cursor: pointer; }
  button:hover { background: var(--vscode-button-hoverBackground); }
</style></head>
<body>
<h1>${escapeHtml(view.title)}</h1>
${actions}
${received}
${sent}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const button of document.querySelectorAll('button[data-action]')) {
    button.addEventListener('click', () => vscode.postMessage({ action: button.dataset.action }));
  }
</script>
</body></html>`;
}
