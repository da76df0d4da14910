import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { analyzeManifest, type ManifestAnalysis } from '../../server/src/analysis';
import { nodeFiles } from '../../server/src/base/files';
import { isObject } from '../../server/src/base/value';
import { importCurl } from '../../server/src/portal/import';
import { portalHtml } from '../../server/src/portal/render';
import { portalSheet, type PortalSheet } from '../../server/src/portal/sheet';
import { fromPortalText, toPortalText } from '../../server/src/portal/syntax';
import { toCurl } from '../../server/src/testing/curl';
import { launchChromium } from '../helpers/chromium';
import { partners } from '../helpers/corpus';
import { REPO } from '../helpers/lspClient';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

interface Case {
  name: string;
  analysis: ManifestAnalysis;
}

function cases(): Case[] {
  const examples = Object.entries(EXAMPLE_FILES).map(([name, file]) => ({
    name: `example ${name}`,
    analysis: analyzeManifest(fs.readFileSync(file, 'utf8'), {
      baseDir: path.dirname(file),
      rootDir: REPO,
      files: nodeFiles,
    }),
  }));
  return [...examples, ...partners().map((p) => ({ name: `corpus ${p.name}`, analysis: p.analysis }))];
}

function field(sheet: PortalSheet, section: string, label: string): string | undefined {
  return sheet.sections.find((s) => s.title === section)?.fields.find((f) => f.label === label)?.value;
}

describe('portal hand-off: export and import give back every example and corpus integration', () => {
  for (const { name, analysis } of cases()) {
    for (const endpoint of analysis.model.endpoints) {
      it(`${name}: ${endpoint.name}'s payload and item template survive export then import`, () => {
        const sheet = portalSheet(analysis);
        const title = sheet.sections.find((s) =>
          s.fields.some((f) => f.id.startsWith(`endpoints.${endpoint.name}.`)),
        )?.title;
        assert.ok(title, `a section for ${endpoint.name}`);
        const value = endpoint;
        const payload = field(sheet, title, 'Payload');
        if (value.payloadText !== undefined) assert.equal(payload, value.payloadText);
        else if (value.payload !== undefined) {
          const back = fromPortalText(payload ?? '');
          assert.ok(back.ok && back.form === 'json', JSON.stringify(back));
          assert.deepEqual(back.value, value.payload);
        }
        const items = field(sheet, title, 'Array of items that replaces $items');
        if (value.itemTemplateText !== undefined) assert.equal(items, value.itemTemplateText);
        else if (value.itemTemplate !== undefined && items !== undefined) {
          const back = fromPortalText(items);
          assert.ok(back.ok && back.form === 'json');
          assert.deepEqual(back.value, value.itemTemplate);
        }
        assert.equal(field(sheet, title, 'URL'), value.url);
        assert.equal(field(sheet, title, 'Method'), value.method);
      });

      it(`${name}: ${endpoint.name} as the portal's cURL imports back to its URL, method and payload`, () => {
        if (endpoint.payload === undefined || endpoint.url === undefined) return;
        const curl = toCurl({
          endpoint: endpoint.name,
          method: String(endpoint.method),
          url: endpoint.url,
          headers: { 'Content-Type': 'application/json' },
          body: toPortalText(endpoint.payload),
          secrets: [],
        });
        const { fragment } = importCurl(curl, { kind: analysis.model.kind ?? 'cohort-list', endpoint: endpoint.name });
        const imported = (fragment.endpoints as Record<string, Record<string, unknown>>)[endpoint.name];
        assert.equal(imported.url, endpoint.url);
        assert.equal(imported.method, endpoint.method);
        assert.deepEqual(imported.payload, endpoint.payload);
      });
    }
  }
});

describe('portal syntax', () => {
  it('writes the batch and the membership bare, text variables quoted', () => {
    const text = toPortalText(
      { users: '$items', member: '$amp_cohort_membership', name: '$amp_cohort_name', id: '$list_id' },
      0,
    );
    assert.equal(text, '{"users":$items,"member":$amp_cohort_membership,"name":"$amp_cohort_name","id":"$list_id"}');
  });

  it('keeps the portal text (payloadText) when JSON cannot say it, and says why', () => {
    const quoted = fromPortalText('{"member": "$amp_cohort_membership"}');
    assert.ok(quoted.ok && quoted.form === 'text');
    assert.match(quoted.why, /quoted, so it is sent as text/);
    const numericId = fromPortalText('{"list": $list_id, "users": $items}');
    assert.ok(numericId.ok && numericId.form === 'text');
    const inside = fromPortalText('{"tag": "in_$amp_cohort_membership", "users": $items}');
    assert.ok(inside.ok && inside.form === 'json');
    assert.equal(fromPortalText('{"users": $items,}').ok, false);
  });

  it('reads a cURL with line continuations, -u, --json and ${parameters.x}', () => {
    const streaming = importCurl(
      "curl -X POST 'https://api.example/v1/track?key=${parameters.api_key}' \\\n -H 'Content-Type: application/json' \\\n --data-raw '{\"event\": \"Clicked \\u0022Buy\\u0022\"}'",
      { kind: 'event-streaming' },
    );
    const request = streaming.fragment.request as Record<string, unknown>;
    assert.equal(request.url, 'https://api.example/v1/track?key=${parameters.api_key}');
    assert.deepEqual(streaming.fragment.parameters, [{ name: 'api_key', displayName: 'api_key' }]);
    assert.match(streaming.template ?? '', /"event": "Clicked/);
    const basic = importCurl('curl -u $api_key:$api_secret --json \'{"users": $items}\' https://a.example/u', {
      kind: 'cohort-property',
      endpoint: 'update',
    });
    assert.deepEqual(basic.fragment.authentication, { method: 'basic' });
    const endpoint = (basic.fragment.endpoints as Record<string, Record<string, unknown>>).update;
    assert.equal(endpoint.method, 'POST');
    assert.deepEqual(endpoint.payload, { users: '$items' });
    assert.throws(() => importCurl('wget https://a', { kind: 'cohort-list' }), /must start with "curl"/);
  });
});

describe('the portal sheet: every field in the order of the portal form', () => {
  it('list-based: connection, type, authentication, fields, headers, slugify, then each endpoint and its errors', () => {
    const file = EXAMPLE_FILES.list;
    const sheet = portalSheet(
      analyzeManifest(readExample('list'), { baseDir: path.dirname(file), rootDir: REPO, files: nodeFiles }),
    );
    const titles = sheet.sections.map((s) => s.title.replace(/ \d+$/, '').replace(/: error$/, ': error'));
    const order = [
      'Connection info',
      'Integration type',
      'Authentication',
      'Custom field',
      'Mapping field',
      'Additional headers',
      'Slugify',
      'List creation',
      'Add users',
      'Remove users',
      "Values for the portal's test",
    ];
    let at = -1;
    for (const title of order) {
      const next = titles.indexOf(title, at + 1);
      assert.ok(next > at, `${title} after ${order[order.indexOf(title) - 1]}: ${titles.join(' | ')}`);
      at = next;
    }
    assert.equal(field(sheet, 'Add users', 'Copy errors from'), 'listCreation');
    // A Button Group's options, one a line, as the portal's form asks for them; a text option is its own label.
    assert.equal(field(sheet, 'Custom field 2', 'Options (label = value)'), 'US = us\nEU = eu');
    const textOptions = mutate(
      readExample('list'),
      '{ "label": "US", "value": "us" },\n        { "label": "EU", "value": "eu" }',
      '"us", { "label": "EU", "value": "eu" }',
    );
    const withText = portalSheet(
      analyzeManifest(textOptions, { baseDir: path.dirname(file), rootDir: REPO, files: nodeFiles }),
    );
    assert.equal(field(withText, 'Custom field 2', 'Options (label = value)'), 'us\nEU = eu');
    assert.equal(field(withText, 'Additional headers', 'X-Pushwave-Workspace'), '$workspace_id');
    const test = sheet.sections.find((s) => s.title === "Values for the portal's test");
    assert.match(
      test?.fields.find((f) => f.label.includes('$bearer_token'))?.value ?? '',
      /a secret: type it in the portal yourself/,
    );
    assert.ok(!JSON.stringify(sheet).includes('undefined'));
  });

  it('the CLI writes it as Markdown and as a page with a copy button and a checkbox per field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-portal-'));
    const html = path.join(dir, 'portal.html');
    const cli = path.join(REPO, 'dist', 'cli.js');
    const result = spawnSync(
      process.execPath,
      [cli, 'export', EXAMPLE_FILES.streaming, '--format', 'portal', '--out', html],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    const page = fs.readFileSync(html, 'utf8');
    assert.match(page, /Content-Security-Policy" content="default-src 'none'; style-src 'nonce-/);
    assert.ok((page.match(/type="checkbox"/g) ?? []).length > 10);
    assert.match(page, /Event body template/);
    const md = spawnSync(process.execPath, [cli, 'export', EXAMPLE_FILES.streaming], { encoding: 'utf8' });
    assert.match(md.stdout, /- \[ \] \*\*Parameter name\*\*: `api_key`/);
  });
});

describe('the portal page in a browser (what a person sees)', function () {
  this.timeout(60_000);
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser?.close());

  it('escapes hostile manifest text, and keeps ticks per version', async () => {
    const text = readExample('list').replace(
      '"displayName": "Pushwave"',
      '"displayName": "<img src=x onerror=window.pwned=1>"',
    );
    const analysis = analyzeManifest(text);
    assert.ok(isObject(analysis.doc.value));
    const sheet = portalSheet(analysis);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-portal-page-'));
    const write = (version: string) => {
      const file = path.join(dir, `portal-${version}.html`);
      fs.writeFileSync(file, portalHtml({ ...sheet, version }, { nonce: 'abc123', storageKey: `k:${version}` }));
      return `file://${file}`;
    };
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(write('1.0.0'));
    assert.equal(await page.evaluate('typeof window.pwned'), 'undefined');
    assert.match(await page.locator('h1').innerText(), /<img src=x onerror=window\.pwned=1>/);
    await page.locator('input[type=checkbox]').first().check();
    assert.match(await page.locator('#done').innerText(), /^1 of \d+/);
    await page.goto(write('1.0.0'));
    assert.equal(await page.locator('input[type=checkbox]').first().isChecked(), true, 'kept for the same version');
    await page.goto(write('1.1.0'));
    assert.equal(await page.locator('input[type=checkbox]').first().isChecked(), false, 'a new version starts afresh');
    await context.close();
  });
});
