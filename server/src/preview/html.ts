import type { JSONPath } from 'jsonc-parser';
import { slugify } from '../manifest/variables';
import type { PreviewField, PreviewModel } from './model';

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/**
 * A safe Markdown subset for "additional resources": everything escaped first, then **bold**,
 * `code`, and links to https URLs only (shown, never followed inside the preview).
 */
export function renderMarkdown(text: string): string {
  return text
    .split(/\n{2,}/)
    .map(
      (paragraph) =>
        `<p>${escapeHtml(paragraph)
          .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
          .replace(/`([^`]+)`/g, '<code>$1</code>')
          .replace(
            /\[([^\]]+)\]\((https:\/\/[^)\s]+)\)/g,
            (_m, label: string, url: string) => `<a title="${url}" class="link">${label}</a>`,
          )
          .replace(/\n/g, '<br>')}</p>`,
    )
    .join('');
}

/** How the preview gets images: a webview URI in VS Code, a data URI in a standalone page; undefined refuses it. */
export type ImageResolver = (relativePath: string) => string | undefined;

export interface PreviewHtmlOptions {
  nonce: string;
  /** The webview's cspSource, or nothing for a standalone page. */
  cspSource?: string;
  images: ImageResolver;
  /** A banner naming the problems of a newer, broken version (the model is the last good one). */
  staleBanner?: string[];
}

const data = (path: JSONPath) => `data-path="${escapeHtml(JSON.stringify(path))}"`;

function field(f: PreviewField): string {
  const label = `<label>${escapeHtml(f.label)}${f.optional ? ' <span class="muted">(optional)</span>' : ''}${f.required ? ' <span class="required" title="required">*</span>' : ''}</label>`;
  let control: string;
  switch (f.control) {
    case 'select':
      control = `<select>${(f.options ?? []).map((o) => `<option${o.value === f.defaultValue ? ' selected' : ''}>${escapeHtml(o.label)}</option>`).join('')}</select>`;
      break;
    case 'buttonGroup':
      control = `<div class="button-group" role="group">${(f.options ?? []).map((o) => `<button type="button" class="${o.value === f.defaultValue ? 'selected' : ''}" aria-pressed="${o.value === f.defaultValue}">${escapeHtml(o.label)}</button>`).join('')}</div>`;
      break;
    case 'propertyPicker':
      control = `<div class="mapping"><select aria-label="Amplitude property"><option>Select an Amplitude property</option></select><span class="arrow">→</span><span class="target">${escapeHtml(f.target ?? '')}</span></div>`;
      break;
    default:
      control = `<input type="${f.control === 'password' ? 'password' : 'text'}" placeholder="${escapeHtml(f.label)}"${f.defaultValue ? ` value="${escapeHtml(f.defaultValue)}"` : ''}>`;
  }
  return `<div class="field" ${data(f.path)} data-control="${f.control}">${label}${control}${f.description ? `<p class="help">${escapeHtml(f.description)}</p>` : ''}</div>`;
}

function variablesTable(model: PreviewModel): string {
  const table = model.variables;
  if (!table) return '';
  const row = (cells: string[], problem: boolean) =>
    `<tr class="${problem ? 'problem' : ''}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  const declared = table.declared
    .map((d) => row([`$${escapeHtml(d.name)}`, escapeHtml(d.source), d.used ? 'used' : 'never used'], !d.used))
    .join('');
  const used = table.used
    .map((u) =>
      row(
        [
          u.name.startsWith('parameters.') ? escapeHtml(u.name) : `$${escapeHtml(u.name)}`,
          escapeHtml(u.status),
          `${u.uses.length}×`,
        ],
        u.status === 'undeclared',
      ),
    )
    .join('');
  const predefined = table.predefined
    .map((p) => row([`$${escapeHtml(p.name)}`, escapeHtml(p.summary), p.used ? 'used' : ''], false))
    .join('');
  return `<section class="variables"><h2>Variables</h2>
    <table><thead><tr><th colspan="3">Declared</th></tr></thead><tbody>${declared || '<tr><td colspan="3" class="muted">none</td></tr>'}</tbody>
    <thead><tr><th colspan="3">Used</th></tr></thead><tbody>${used || '<tr><td colspan="3" class="muted">none</td></tr>'}</tbody>
    <thead><tr><th colspan="3">Pre-defined</th></tr></thead><tbody>${predefined}</tbody></table></section>`;
}

/** The preview page: the tile, the setup modal or source steps, variables, slugify; strict CSP, everything escaped. */
export function renderPreviewHtml(model: PreviewModel, options: PreviewHtmlOptions): string {
  const { nonce } = options;
  const logo = model.logo ? options.images(model.logo) : undefined;
  const tile = `<section class="tile" ${data(['connection'])}>
    ${logo ? `<img class="logo" alt="" src="${escapeHtml(logo)}">` : '<div class="logo placeholder" aria-hidden="true"></div>'}
    <div><div class="tile-name">${escapeHtml(model.displayName)}</div><div class="muted">${escapeHtml(model.category ?? '')}</div></div></section>`;
  let main = '';
  if (model.kind === 'cohort-list' || model.kind === 'cohort-property') {
    main = `<section class="modal" aria-label="setup modal"><h1>Connect to ${escapeHtml(model.displayName)}</h1>
      <div class="field" data-control="text"><label>Name</label><input type="text" placeholder="Name"></div>
      ${model.fields.map(field).join('')}
      ${model.mappings.length ? `<h2>Mapping</h2>${model.mappings.map(field).join('')}` : ''}
      <div class="actions"><button type="button" class="primary">Save</button></div></section>`;
  } else if (model.kind === 'event-streaming') {
    main = `<section class="modal" aria-label="setup modal"><h1>Connect to ${escapeHtml(model.displayName)}</h1>
      ${model.fields.map(field).join('')}
      ${model.mappings.length ? `<h2>Mappings</h2>${model.mappings.map(field).join('')}` : ''}
      <h2>Specify event properties to send</h2><div class="field" data-control="propertyList"><select aria-label="event properties" multiple size="3"><option>event properties</option><option>user properties</option><option>group properties</option></select></div></section>`;
  } else if (model.source) {
    main = `<section class="source"><h1>${escapeHtml(model.displayName)}</h1><p class="subtitle" ${data(['setup', 'subtitle'])}>${escapeHtml(model.source.subtitle)}</p>
      <ol class="steps">${model.source.steps
        .map((s) => {
          const image = s.image ? options.images(s.image) : undefined;
          return `<li class="step" ${data(s.path)}><p>${escapeHtml(s.text)}</p>${s.showProjectApiKey ? '<div class="api-key"><span class="muted">Project API Key</span><code>a1b2c3d4e5f6••••••••</code></div>' : ''}${image ? `<img class="step-image" alt="" src="${escapeHtml(image)}">` : ''}</li>`;
        })
        .join('')}</ol>
      ${model.source.additionalResources ? `<section class="resources" ${data(['setup', 'additionalResources'])}><h2>Additional resources</h2>${renderMarkdown(model.source.additionalResources)}</section>` : ''}</section>`;
  }
  const slug = model.slugify
    ? `<section class="slugify"><h2>Slugify cohort name</h2><input id="cohort" type="text" value="Saturday's cohort &amp; héllo" aria-label="cohort name"> → <code id="slug">${escapeHtml(slugify("Saturday's cohort & héllo"))}</code></section>`
    : '';
  const banner = options.staleBanner?.length
    ? `<div class="banner" role="alert"><strong>The manifest has problems; showing the last good version.</strong><ul>${options.staleBanner.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></div>`
    : '';
  const problems = model.problems.length
    ? `<section class="problems"><h2>Problems</h2><ul>${model.problems
        .slice(0, 20)
        .map((p) => `<li class="${p.severity}">${escapeHtml(p.message)}</li>`)
        .join('')}</ul></section>`
    : '';
  const img = options.cspSource ? `${options.cspSource} data:` : 'data:';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${img}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>${escapeHtml(model.displayName)}</title>
<style nonce="${nonce}">
  :root { --fg: var(--vscode-foreground, #1f2328); --bg: var(--vscode-editor-background, #ffffff); --muted: var(--vscode-descriptionForeground, #656d76); --border: var(--vscode-panel-border, #d0d7de); --input: var(--vscode-input-background, #ffffff); --accent: var(--vscode-button-background, #1e61f0); --accent-fg: var(--vscode-button-foreground, #ffffff); --error: var(--vscode-errorForeground, #cf222e); }
  body { font-family: var(--vscode-font-family, system-ui, sans-serif); color: var(--fg); background: var(--bg); margin: 0; padding: 16px; }
  h1 { font-size: 1.25em; } h2 { font-size: 0.95em; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
  .tile { display: flex; gap: 12px; align-items: center; border: 1px solid var(--border); border-radius: 8px; padding: 12px; width: 260px; margin-bottom: 16px; cursor: pointer; }
  .logo { width: 40px; height: 40px; border-radius: 6px; object-fit: contain; } .placeholder { background: var(--border); }
  .tile-name { font-weight: 600; } .muted { color: var(--muted); }
  .modal, .source { border: 1px solid var(--border); border-radius: 8px; padding: 16px 20px; max-width: 520px; }
  .field { margin: 12px 0; cursor: pointer; } .field label { display: block; font-weight: 600; margin-bottom: 4px; }
  input, select { width: 100%; box-sizing: border-box; padding: 6px; background: var(--input); color: var(--fg); border: 1px solid var(--border); border-radius: 4px; }
  .button-group { display: flex; } .button-group button { flex: 1; padding: 6px; border: 1px solid var(--border); background: var(--input); color: var(--fg); }
  .button-group button.selected { background: var(--accent); color: var(--accent-fg); }
  .mapping { display: flex; gap: 8px; align-items: center; } .mapping select { flex: 1; } .target { font-weight: 600; }
  .required { color: var(--error); } .help { color: var(--muted); margin: 4px 0 0; font-size: .9em; }
  .actions { text-align: right; } .primary { background: var(--accent); color: var(--accent-fg); border: none; padding: 6px 16px; border-radius: 4px; }
  .steps li { margin: 12px 0; } .step-image { max-width: 100%; border: 1px solid var(--border); border-radius: 4px; margin-top: 6px; }
  .api-key { display: flex; gap: 8px; align-items: center; border: 1px dashed var(--border); padding: 6px; border-radius: 4px; }
  .variables table { border-collapse: collapse; } .variables td, .variables th { text-align: left; padding: 2px 12px 2px 0; } .problem td { color: var(--error); }
  .banner { border: 1px solid var(--error); color: var(--error); padding: 8px 12px; border-radius: 6px; margin-bottom: 12px; }
  .problems .error { color: var(--error); } .link { text-decoration: underline; }
  section { margin-bottom: 16px; }
</style></head><body>
${banner}${tile}${main}${slug}${variablesTable(model)}${problems}
<script nonce="${nonce}">
  const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  for (const element of document.querySelectorAll('[data-path]')) {
    element.addEventListener('click', (event) => {
      event.stopPropagation();
      if (api) api.postMessage({ action: 'reveal', path: JSON.parse(element.getAttribute('data-path')) });
    });
  }
  const cohort = document.getElementById('cohort');
  if (cohort) cohort.addEventListener('input', () => {
    document.getElementById('slug').textContent = cohort.value.normalize('NFKD').replace(/[^A-Za-z0-9_]+/g, '-').slice(0, 100);
  });
  if (api) {
    const state = api.getState();
    if (state) window.scrollTo(0, state.scrollY);
    window.addEventListener('scroll', () => api.setState({ scrollY: window.scrollY }));
  }
</script></body></html>`;
}
