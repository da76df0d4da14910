import { escapeHtml } from '../preview/html';
import type { PortalField, PortalSheet } from './sheet';

/** The sheet as Markdown (`export --out file.md`): a heading per section, a fenced block per code field. */
export function portalMarkdown(sheet: PortalSheet): string {
  const lines = [`# ${sheet.displayName}: what to enter in the Integration Portal`, ''];
  lines.push(`Version ${sheet.version || '(none)'} · fields in the order of the portal's form.`, '');
  for (const section of sheet.sections) {
    lines.push(`## ${section.title}`, '');
    for (const field of section.fields) {
      if (field.code || field.value.includes('\n')) {
        const fence = field.value.includes('```') ? '~~~~' : '```';
        lines.push(`- [ ] **${field.label}**`, '', `${fence}`, field.value, fence, '');
      } else lines.push(`- [ ] **${field.label}**: \`${field.value.replace(/`/g, "'")}\``);
      if (field.note) lines.push(`  > ${field.note}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export interface PortalHtmlOptions {
  nonce: string;
  /** The webview's cspSource; nothing for a standalone page. */
  cspSource?: string;
  /** Field ids already checked (kept per manifest version). */
  checked?: readonly string[];
  /** Where checkbox state lives in a standalone page (localStorage), per manifest version. */
  storageKey?: string;
}

function fieldHtml(field: PortalField, checked: ReadonlySet<string>): string {
  const id = escapeHtml(field.id);
  const tick = checked.has(field.id) ? ' checked' : '';
  const box = `<input type="checkbox" data-id="${id}" aria-label="entered in the portal"${tick}>`;
  const value =
    field.code || field.value.includes('\n')
      ? `<pre class="value">${escapeHtml(field.value)}</pre>`
      : `<code class="value">${escapeHtml(field.value)}</code>`;
  const note = field.note ? `<p class="note">${escapeHtml(field.note)}</p>` : '';
  const copy = `<button type="button" class="copy" data-copy="${escapeHtml(field.value)}">Copy</button>`;
  const label = `<div class="label">${escapeHtml(field.label)} ${copy}</div>`;
  return `<li class="field">${box}<div class="body">${label}${value}${note}</div></li>`;
}

const STYLE = `
  body { font-family: var(--vscode-font-family, system-ui, sans-serif); color: var(--vscode-foreground, #1f2328);
    background: var(--vscode-editor-background, #fff); padding: 0 16px 24px; }
  h1 { font-size: 1.3em; } h2 { font-size: 1em; margin-top: 24px; }
  ul { list-style: none; padding: 0; }
  .field { display: flex; gap: 10px; align-items: flex-start; margin: 8px 0; }
  .field input { margin-top: 4px; }
  .field:has(input:checked) .body { opacity: .55; }
  .label { font-weight: 600; display: flex; gap: 8px; align-items: center; }
  pre, code { font-family: var(--vscode-editor-font-family, monospace); }
  pre.value { background: var(--vscode-textCodeBlock-background, #f6f8fa); padding: 8px; white-space: pre-wrap;
    word-break: break-all; margin: 4px 0; }
  .note { color: var(--vscode-editorWarning-foreground, #9a6700); margin: 2px 0; }
  .muted { color: var(--vscode-descriptionForeground, #656d76); }
  button { background: var(--vscode-button-secondaryBackground, #eee);
    color: var(--vscode-button-secondaryForeground, #000);
    border: none; padding: 1px 8px; cursor: pointer; font-size: .85em; }
  .progress { position: sticky; top: 0; background: inherit; padding: 8px 0; }`;

const SCRIPT = `
  const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  const storageKey = document.body.dataset.storageKey;
  const boxes = [...document.querySelectorAll('input[type=checkbox]')];
  if (!api && storageKey) {
    const saved = JSON.parse(localStorage.getItem(storageKey) || '[]');
    for (const box of boxes) box.checked = saved.includes(box.dataset.id);
  }
  const progress = () => {
    document.getElementById('done').textContent = boxes.filter((b) => b.checked).length + ' of ' + boxes.length;
  };
  for (const box of boxes) box.addEventListener('change', () => {
    const checked = boxes.filter((b) => b.checked).map((b) => b.dataset.id);
    if (api) api.postMessage({ action: 'checked', ids: checked });
    else if (storageKey) localStorage.setItem(storageKey, JSON.stringify(checked));
    progress();
  });
  for (const button of document.querySelectorAll('button.copy')) button.addEventListener('click', () => {
    const text = button.dataset.copy;
    if (api) api.postMessage({ action: 'copy', text });
    else navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
    setTimeout(() => (button.textContent = 'Copy'), 1200);
  });
  progress();`;

/** The sheet as a page: a checkbox and a copy button per field; strict CSP, every value escaped. */
export function portalHtml(sheet: PortalSheet, options: PortalHtmlOptions): string {
  const checked = new Set(options.checked ?? []);
  const sections = sheet.sections
    .map(
      (s) =>
        `<section><h2>${escapeHtml(s.title)}</h2>` +
        `<ul>${s.fields.map((f) => fieldHtml(f, checked)).join('')}</ul></section>`,
    )
    .join('');
  const img = options.cspSource ? ` img-src ${options.cspSource};` : '';
  const csp = `default-src 'none';${img} style-src 'nonce-${options.nonce}'; script-src 'nonce-${options.nonce}';`;
  const storage = options.storageKey ? ` data-storage-key="${escapeHtml(options.storageKey)}"` : '';
  const title = `${escapeHtml(sheet.displayName)}: what to enter in the Integration Portal`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>${title}</title>
<style nonce="${options.nonce}">${STYLE}</style></head><body${storage}>
<h1>${title}</h1>
<p class="muted">Version ${escapeHtml(sheet.version || '(none)')}. Fields in the order of the portal's form:
copy each, tick it when entered.</p>
<p class="progress"><span id="done"></span> entered</p>
${sections}
<script nonce="${options.nonce}">${SCRIPT}</script></body></html>`;
}
