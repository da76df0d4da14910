import { mask } from '../../../server/src/base/mask';
import { escapeHtml } from '../../../server/src/preview/html';
import type { Classification } from '../../../server/src/testing/classify';
import type { DeliveryVerdict } from '../../../server/src/testing/streaming/delivery';
import type { ListIdResult } from '../../../server/src/testing/cohort/listId';
import type { BuiltRequest } from '../../../server/src/testing/request';
import type { EndpointResponse, SendResult } from '../../../server/src/testing/send';

/** Everything the response panel shows; secrets are masked before they reach the HTML. */
export interface ResponseView {
  title: string;
  request: BuiltRequest;
  batches: number;
  /** Absent for "Show Request": the request only, nothing was sent. */
  result?: SendResult;
  classification?: Classification;
  listId?: ListIdResult;
  /** Event streaming: what Amplitude would do next with this answer, in words, each step with its times. */
  delivery?: Pick<DeliveryVerdict, 'text' | 'lines'>;
}

type Hide = (text: string) => string;

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function headerRows(headers: Record<string, string>, hide: Hide): string {
  return Object.entries(headers)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${hide(v)}</td></tr>`)
    .join('');
}

function statusClass(status: number): string {
  if (status >= 200 && status < 300) return 'ok';
  return status >= 300 && status < 400 ? 'warn' : 'error';
}

const MAX_SHOWN = 200_000;

function clip(text: string): string {
  if (text.length <= MAX_SHOWN) return text;
  return `${text.slice(0, MAX_SHOWN)}\n… (${text.length - MAX_SHOWN} more characters: use "Open body in editor")`;
}

function sentSection(view: ResponseView, hide: Hide): string {
  const { request } = view;
  const batch = view.batches > 1 ? ` <span class="muted">batch 1 of ${view.batches}</span>` : '';
  const body = request.body ? `<pre>${hide(clip(prettyBody(request.body)))}</pre>` : '<p class="muted">No body.</p>';
  const notes = (request.notes ?? []).map((n) => `<p class="warn">${hide(n)}</p>`).join('');
  const heading = view.result ? 'Sent' : 'Request (not sent)';
  return `<section><h2>${heading}</h2>
      <p class="line"><span class="method">${escapeHtml(request.method)}</span>
        <code>${hide(request.url)}</code>${batch}</p>
      <table>${headerRows(request.headers, hide)}</table>${notes}${body}</section>`;
}

function classificationBlock(view: ResponseView): string {
  const c = view.classification;
  if (!c) return '';
  const title = c.kind === 'classified' ? `Classified: ${escapeHtml(c.failureReason)}` : 'Unclassified';
  const copied =
    c.from && c.from !== view.request.endpoint
      ? ` <span class="muted">(errors copied from ${escapeHtml(c.from)})</span>`
      : '';
  return (
    `<div class="classification ` + `${c.kind}"><strong>${title}</strong>${copied}<p>${escapeHtml(c.message)}</p></div>`
  );
}

/** The server's verdict, shown as it is (the client computes nothing). */
function deliveryBlock(view: ResponseView, hide: Hide): string {
  const d = view.delivery;
  if (!d) return '';
  const steps = d.lines.map((line) => `<li>${hide(line)}</li>`).join('');
  return `<div class="delivery"><p>${hide(d.text)}</p>${steps ? `<ul>${steps}</ul>` : ''}</div>`;
}

function answerNotes(view: ResponseView, r: EndpointResponse, hide: Hide): string {
  const notes: string[] = [];
  if (view.listId) {
    const text = view.listId.ok
      ? `List id: <code>${hide(JSON.stringify(view.listId.listId))}</code>`
      : hide(view.listId.problem);
    notes.push(`<p class="${view.listId.ok ? 'ok' : 'error'}">${text}</p>`);
  }
  if (r.headers['retry-after']) notes.push(`<p class="warn">Retry-After: ${hide(r.headers['retry-after'])}</p>`);
  if (r.redirectTo)
    notes.push(
      `<p class="warn">Redirect to <code>${hide(r.redirectTo)}</code>: not followed (Amplitude does not ` +
        `follow redirects).</p>`,
    );
  notes.push(deliveryBlock(view, hide));
  return notes.join('');
}

function receivedSection(view: ResponseView, hide: Hide): string {
  const r = view.result;
  if (!r) return '';
  if (!r.ok) {
    const delivery = deliveryBlock(view, hide);
    return (
      `<section><h2>Failed</h2><p class="status error">${hide(r.message)}</p><p class="muted">after ` +
      `${r.timing.totalMs.toFixed(0)} ms</p>${delivery}</section>`
    );
  }
  const t = r.timing;
  const timing =
    `${t.totalMs.toFixed(0)} ms total: waiting ${t.waitingMs.toFixed(0)} ms, download ` +
    `${t.downloadMs.toFixed(0)} ms · ${r.bytes} bytes${r.truncated ? ' (truncated at the size limit)' : ''}`;
  return `<section><h2>Received</h2>
      <p class="status ${statusClass(r.status)}">${r.status} ${escapeHtml(r.statusText)}</p>
      ${classificationBlock(view)}${answerNotes(view, r, hide)}
      <p class="muted">${timing}</p>
      <details><summary>Headers</summary><table>${headerRows(r.headers, hide)}</table></details>
      <pre>${hide(clip(prettyBody(r.body)))}</pre>
    </section>`;
}

function actions(view: ResponseView): string {
  const answered = view.result !== undefined;
  return `<nav>
      ${answered ? '<button data-action="openBody">Open body in editor</button>' : ''}
      <button data-action="copyCurl">Copy as cURL</button>
      ${answered ? '<button data-action="saveResponse">Save response</button>' : ''}
      <button data-action="rerun">${answered ? 'Send again' : 'Send it'}</button>
    </nav>`;
}

const STYLE = `
  body {
    font-family: var(--vscode-font-family); color: var(--vscode-foreground);
    background: var(--vscode-editor-background); padding: 0 16px 16px;
  }
  h1 { font-size: 1.2em; }
  h2 { font-size: 1em; text-transform: uppercase; letter-spacing: .05em; color: var(--vscode-descriptionForeground); }
  pre, code { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
  pre {
    background: var(--vscode-textCodeBlock-background); padding: 8px; overflow: auto; max-height: 50vh;
    white-space: pre-wrap; word-break: break-all;
  }
  table { border-collapse: collapse; }
  th { text-align: left; padding-right: 12px; font-weight: normal; color: var(--vscode-descriptionForeground); }
  td { word-break: break-all; }
  .status { font-size: 1.4em; font-weight: 600; } .ok { color: var(--vscode-testing-iconPassed); }
  .warn { color: var(--vscode-editorWarning-foreground); } .error { color: var(--vscode-errorForeground); }
  .classification { border-left: 3px solid var(--vscode-editorWarning-foreground); padding: 4px 8px; margin: 8px 0; }
  .classification.unclassified { border-color: var(--vscode-errorForeground); }
  .delivery { border-left: 3px solid var(--vscode-focusBorder); padding: 4px 8px; }
  .muted { color: var(--vscode-descriptionForeground); } .method { font-weight: 600; }
  nav { display: flex; gap: 8px; margin: 12px 0; flex-wrap: wrap; }
  button {
    background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none;
    padding: 4px 12px; cursor: pointer;
  }
  button:hover { background: var(--vscode-button-hoverBackground); }`;

/** The panel's HTML: strict CSP with a fresh nonce, no remote content, every value escaped and masked. */
export function renderResponseHtml(view: ResponseView, nonce: string, cspSource: string): string {
  const hide: Hide = (text) => escapeHtml(mask(text, view.request.secrets));
  const csp = `default-src 'none'; img-src ${cspSource}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(view.title)}</title>
<style nonce="${nonce}">${STYLE}</style></head>
<body>
<h1>${escapeHtml(view.title)}</h1>
${actions(view)}
${receivedSection(view, hide)}
${sentSection(view, hide)}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const button of document.querySelectorAll('button[data-action]')) {
    button.addEventListener('click', () => vscode.postMessage({ action: button.dataset.action }));
  }
</script>
</body></html>`;
}
