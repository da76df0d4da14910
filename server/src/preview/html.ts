import type { JSONPath } from 'jsonc-parser';
import { slugify } from '../manifest/variables';
import type { PreviewField, PreviewModel } from './model';

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
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
const when = (condition: unknown, html: string) => (condition ? html : '');

function fieldLabel(f: PreviewField): string {
  const optional = when(f.optional, ' <span class="muted">(optional)</span>');
  const required = when(f.required, ' <span class="required" title="required">*</span>');
  return `<label>${escapeHtml(f.label)}${optional}${required}</label>`;
}

function fieldControl(f: PreviewField): string {
  const options = f.options ?? [];
  switch (f.control) {
    case 'select': {
      const items = options.map(
        (o) => `<option${when(o.value === f.defaultValue, ' selected')}>${escapeHtml(o.label)}</option>`,
      );
      return `<select>${items.join('')}</select>`;
    }
    case 'buttonGroup': {
      const buttons = options.map((o) => {
        const selected = o.value === f.defaultValue;
        const cls = when(selected, 'selected');
        return `<button type="button" class="${cls}" aria-pressed="${selected}">${escapeHtml(o.label)}</button>`;
      });
      return `<div class="button-group" role="group">${buttons.join('')}</div>`;
    }
    case 'propertyPicker':
      return (
        '<div class="mapping"><select aria-label="Amplitude property">' +
        '<option>Select an Amplitude property</option></select><span class="arrow">→</span>' +
        `<span class="target">${escapeHtml(f.target ?? '')}</span></div>`
      );
    default: {
      const type = f.control === 'password' ? 'password' : 'text';
      const value = when(f.defaultValue, ` value="${escapeHtml(f.defaultValue ?? '')}"`);
      return `<input type="${type}" placeholder="${escapeHtml(f.label)}"${value}>`;
    }
  }
}

function field(f: PreviewField): string {
  const help = when(f.description, `<p class="help">${escapeHtml(f.description ?? '')}</p>`);
  return (
    `<div class="field" ${data(f.path)} ` +
    `data-control="${f.control}">${fieldLabel(f)}${fieldControl(f)}${help}</div>`
  );
}

function tableSection(title: string, rows: string): string {
  const body = rows || '<tr><td colspan="3" class="muted">none</td></tr>';
  return `<thead><tr><th colspan="3">${title}</th></tr></thead><tbody>${body}</tbody>`;
}

function variablesTable(model: PreviewModel): string {
  const table = model.variables;
  if (!table) return '';
  const row = (cells: string[], problem: boolean) =>
    `<tr class="${problem ? 'problem' : ''}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  const declared = table.declared.map((d) =>
    row([escapeHtml(d.written), escapeHtml(d.source), d.used ? 'used' : 'never used'], !d.used),
  );
  const used = table.used.map((u) =>
    row([escapeHtml(u.written), escapeHtml(u.status), `${u.uses.length}×`], u.status === 'undeclared'),
  );
  const predefined = table.predefined.map((p) =>
    row([`$${escapeHtml(p.name)}`, escapeHtml(p.summary), p.used ? 'used' : ''], false),
  );
  const sections = [
    tableSection('Declared', declared.join('')),
    tableSection('Used', used.join('')),
    predefined.length ? tableSection('Pre-defined', predefined.join('')) : '',
  ];
  return `<section class="variables"><h2>Variables</h2><table>${sections.join('')}</table></section>`;
}

function tile(model: PreviewModel, options: PreviewHtmlOptions): string {
  const logo = model.logo ? options.images(model.logo) : undefined;
  const image = logo
    ? `<img class="logo" alt="" src="${escapeHtml(logo)}">`
    : '<div class="logo placeholder" aria-hidden="true"></div>';
  const name = `<div class="tile-name">${escapeHtml(model.displayName)}</div>`;
  const category = `<div class="muted">${escapeHtml(model.category ?? '')}</div>`;
  return `<section class="tile" ${data(['connection'])}>${image}<div>${name}${category}</div></section>`;
}

const PROPERTIES_TO_SEND =
  '<h2>Specify event properties to send</h2><div class="field" data-control="propertyList">' +
  '<select aria-label="event properties" multiple size="3"><option>event properties</option>' +
  '<option>user properties</option><option>group properties</option></select></div>';

/** The setup modal of a destination: cohort syncs ask for a name first; streaming ends with properties to send. */
function setupModal(model: PreviewModel): string {
  const cohort = model.kind === 'cohort-list' || model.kind === 'cohort-property';
  const nameField =
    '<div class="field" data-control="text"><label>Name</label><input type="text" placeholder="Name"></div>';
  const mappingTitle = cohort ? 'Mapping' : 'Mappings';
  const mappings = when(model.mappings.length, `<h2>${mappingTitle}</h2>${model.mappings.map(field).join('')}`);
  const end = cohort
    ? '<div class="actions"><button type="button" class="primary">Save</button></div>'
    : PROPERTIES_TO_SEND;
  const heading = `<h1>Connect to ${escapeHtml(model.displayName)}</h1>`;
  const fields = model.fields.map(field).join('');
  return (
    `<section class="modal" aria-label="setup ` +
    `modal">${heading}${when(cohort, nameField)}${fields}${mappings}${end}</section>`
  );
}

const API_KEY = '<div class="api-key"><span class="muted">Project API Key</span>' + '<code>a1b2c3••••••••</code></div>';

/** An event ingestion source's setup steps. */
function sourceSteps(source: NonNullable<PreviewModel['source']>, options: PreviewHtmlOptions, title: string): string {
  const steps = source.steps.map((s) => {
    const image = s.image ? options.images(s.image) : undefined;
    const picture = when(image, `<img class="step-image" alt="" src="${escapeHtml(image ?? '')}">`);
    return (
      `<li class="step" ` +
      `${data(s.path)}><p>${escapeHtml(s.text)}</p>${when(s.showProjectApiKey, API_KEY)}${picture}</li>`
    );
  });
  const resources = when(
    source.additionalResourcesHtml,
    `<section class="resources" ${data(['setup', 'additionalResources'])}><h2>Additional resources</h2>` +
      `${source.additionalResourcesHtml ?? ''}</section>`,
  );
  const subtitle = `<p class="subtitle" ${data(['setup', 'subtitle'])}>${escapeHtml(source.subtitle)}</p>`;
  return (
    `<section class="source"><h1>${escapeHtml(title)}</h1>${subtitle}<ol ` +
    `class="steps">${steps.join('')}</ol>${resources}</section>`
  );
}

function mainSection(model: PreviewModel, options: PreviewHtmlOptions): string {
  if (model.kind === 'cohort-list' || model.kind === 'cohort-property' || model.kind === 'event-streaming') {
    return setupModal(model);
  }
  return model.source ? sourceSteps(model.source, options, model.displayName) : '';
}

const SLUG_SAMPLE = "Saturday's cohort & héllo";

function slugSection(model: PreviewModel): string {
  if (!model.slugify) return '';
  const input = `<input id="cohort" type="text" value="${escapeHtml(SLUG_SAMPLE)}" aria-label="cohort name">`;
  return (
    `<section class="slugify"><h2>Slugify cohort name</h2>${input} → <code ` +
    `id="slug">${escapeHtml(slugify(SLUG_SAMPLE))}</code></section>`
  );
}

function banner(staleBanner: string[] | undefined): string {
  if (!staleBanner?.length) return '';
  const items = staleBanner.map((p) => `<li>${escapeHtml(p)}</li>`).join('');
  return (
    `<div class="banner" role="alert"><strong>The manifest has problems; showing the last good ` +
    `version.</strong><ul>${items}</ul></div>`
  );
}

function problemsSection(model: PreviewModel): string {
  if (!model.problems.length) return '';
  const items = model.problems.slice(0, 20).map((p) => `<li class="${p.severity}">${escapeHtml(p.message)}</li>`);
  return `<section class="problems"><h2>Problems</h2><ul>${items.join('')}</ul></section>`;
}

const STYLE = `
  :root {
    --fg: var(--vscode-foreground, #1f2328); --bg: var(--vscode-editor-background, #ffffff);
    --muted: var(--vscode-descriptionForeground, #656d76); --border: var(--vscode-panel-border, #d0d7de);
    --input: var(--vscode-input-background, #ffffff); --accent: var(--vscode-button-background, #1e61f0);
    --accent-fg: var(--vscode-button-foreground, #ffffff); --error: var(--vscode-errorForeground, #cf222e);
  }
  body {
    font-family: var(--vscode-font-family, system-ui, sans-serif); color: var(--fg); background: var(--bg);
    margin: 0; padding: 16px;
  }
  h1 { font-size: 1.25em; }
  h2 { font-size: 0.95em; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
  .tile {
    display: flex; gap: 12px; align-items: center; border: 1px solid var(--border); border-radius: 8px;
    padding: 12px; width: 260px; margin-bottom: 16px; cursor: pointer;
  }
  .logo { width: 40px; height: 40px; border-radius: 6px; object-fit: contain; }
  .placeholder { background: var(--border); }
  .tile-name { font-weight: 600; } .muted { color: var(--muted); }
  .modal, .source { border: 1px solid var(--border); border-radius: 8px; padding: 16px 20px; max-width: 520px; }
  .field { margin: 12px 0; cursor: pointer; } .field label { display: block; font-weight: 600; margin-bottom: 4px; }
  input, select {
    width: 100%; box-sizing: border-box; padding: 6px; background: var(--input); color: var(--fg);
    border: 1px solid var(--border); border-radius: 4px;
  }
  .button-group { display: flex; }
  .button-group button {
    flex: 1; padding: 6px; border: 1px solid var(--border); background: var(--input); color: var(--fg);
  }
  .button-group button.selected { background: var(--accent); color: var(--accent-fg); }
  .mapping { display: flex; gap: 8px; align-items: center; } .mapping select { flex: 1; } .target { font-weight: 600; }
  .required { color: var(--error); } .help { color: var(--muted); margin: 4px 0 0; font-size: .9em; }
  .actions { text-align: right; }
  .primary { background: var(--accent); color: var(--accent-fg); border: none; padding: 6px 16px; border-radius: 4px; }
  .steps li { margin: 12px 0; }
  .step-image { max-width: 100%; border: 1px solid var(--border); border-radius: 4px; margin-top: 6px; }
  .api-key {
    display: flex; gap: 8px; align-items: center; border: 1px dashed var(--border); padding: 6px; border-radius: 4px;
  }
  .variables table { border-collapse: collapse; }
  .variables td, .variables th { text-align: left; padding: 2px 12px 2px 0; } .problem td { color: var(--error); }
  .banner {
    border: 1px solid var(--error); color: var(--error); padding: 8px 12px; border-radius: 6px; margin-bottom: 12px;
  }
  .problems .error { color: var(--error); } .link { text-decoration: underline; }
  section { margin-bottom: 16px; }
`;

const SCRIPT = `
  const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  for (const element of document.querySelectorAll('[data-path]')) {
    element.addEventListener('click', (event) => {
      event.stopPropagation();
      if (api) api.postMessage({ action: 'reveal', path: JSON.parse(element.getAttribute('data-path')) });
    });
  }
  const cohort = document.getElementById('cohort');
  if (cohort) cohort.addEventListener('input', () => {
    const slug = cohort.value.normalize('NFKD').replace(/[^A-Za-z0-9_]+/g, '-').slice(0, 100);
    document.getElementById('slug').textContent = slug;
  });
  if (api) {
    const state = api.getState();
    if (state) window.scrollTo(0, state.scrollY);
    window.addEventListener('scroll', () => api.setState({ scrollY: window.scrollY }));
  }
`;

/** The preview page: the tile, the setup modal or source steps, variables, slugify; strict CSP, everything escaped. */
export function renderPreviewHtml(model: PreviewModel, options: PreviewHtmlOptions): string {
  const { nonce } = options;
  const img = options.cspSource ? `${options.cspSource} data:` : 'data:';
  const csp = `default-src 'none'; img-src ${img}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  const body = [
    banner(options.staleBanner),
    tile(model, options),
    mainSection(model, options),
    slugSection(model),
    variablesTable(model),
    problemsSection(model),
  ].join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>${escapeHtml(model.displayName)}</title>
<style nonce="${nonce}">${STYLE}</style></head><body>
${body}
<script nonce="${nonce}">${SCRIPT}</script></body></html>`;
}
