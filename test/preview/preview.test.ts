import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { analyzeManifest } from '../../server/src/analysis';
import { renderPreviewHtml } from '../../server/src/preview/html';
import { previewModel } from '../../server/src/preview/model';
import { launchChromium } from '../helpers/chromium';
import { REPO } from '../helpers/lspClient';
import { EXAMPLE_FILES, mutate, readExample } from '../helpers/manifests';

const CLI = path.join(REPO, 'dist', 'cli.js');
const SCREENSHOTS = path.join(REPO, 'test-results');

function previewFile(manifest: string): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amp-preview-')), 'preview.html');
  const result = spawnSync(process.execPath, [CLI, 'preview', manifest, '--out', out], { encoding: 'utf8' });
  assert.strictEqual(result.status, 0, result.stderr);
  return out;
}

describe('preview renderer (pure)', () => {
  it('has a strict CSP with the nonce and escapes manifest text', () => {
    const text = mutate(
      readExample('list'),
      '"displayName": "Pushwave"',
      '"displayName": "<img src=x onerror=alert(1)>"',
    );
    const html = renderPreviewHtml(previewModel(analyzeManifest(text)), { nonce: 'N0NCE', images: () => undefined });
    assert.match(html, /default-src 'none'; img-src data:; style-src 'nonce-N0NCE'; script-src 'nonce-N0NCE';/);
    assert.ok(html.includes('Connect to &lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!html.includes('<img src=x'));
  });

  it('refuses images the resolver refuses (a URL logo is not loaded)', () => {
    const text = mutate(readExample('list'), '"logo": "logo.png"', '"logo": "https://tracker.example/logo.png"');
    const html = renderPreviewHtml(previewModel(analyzeManifest(text)), { nonce: 'n', images: () => undefined });
    assert.ok(!html.includes('tracker.example'));
  });
});

describe('preview in headless Chromium (what a person sees)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(() => browser.close());

  async function open(file: string, name: string) {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`file://${file}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, `preview-${name}.png`), fullPage: true });
    return { page, dialogs };
  }

  it('list-based: the setup modal with its fields, controls and mapping, and the tile', async () => {
    const { page } = await open(previewFile(EXAMPLE_FILES.list), 'list-based');
    assert.strictEqual(await page.locator('.modal h1').innerText(), 'Connect to Pushwave');
    const fields = await page
      .locator('.modal .field')
      .evaluateAll((els) =>
        els.map((e) => `${e.querySelector('label')?.textContent ?? ''}:${e.getAttribute('data-control') ?? ''}`),
      );
    assert.deepStrictEqual(fields, [
      'Name:text',
      'Pushwave API Token:password',
      'Workspace ID:text',
      'Data Center:buttonGroup',
      'User ID Mapping:propertyPicker',
    ]);
    assert.strictEqual(await page.locator('.button-group button.selected').innerText(), 'US');
    assert.match(await page.locator('.mapping .target').innerText(), /Pushwave External ID/);
    assert.strictEqual(await page.locator('.tile-name').innerText(), 'Pushwave');
    assert.ok(
      await page
        .locator('.tile img.logo')
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0),
      'the logo loads from the workspace',
    );
    await page.fill('#cohort', "Saturday's cohort & héllo");
    assert.strictEqual(await page.locator('#slug').innerText(), 'Saturday-s-cohort-he-llo');
    assert.match(await page.locator('.variables').innerText(), /\$workspace_id/);
  });

  it('property-based: basic auth fields, a single select with its default', async () => {
    const { page } = await open(previewFile(EXAMPLE_FILES.property), 'property-based');
    const labels = await page.locator('.modal .field label').allInnerTexts();
    assert.deepStrictEqual(
      labels.map((l) => l.trim()),
      [
        'Name',
        'Tagline API Key',
        'Tagline API Secret (optional)',
        'Account Subdomain',
        'Attribute Prefix',
        'Identifier',
      ],
    );
    assert.strictEqual(await page.locator('.modal select').first().inputValue(), 'amp_');
  });

  it('event streaming: parameters, required mappings, the properties area', async () => {
    const { page } = await open(previewFile(EXAMPLE_FILES.streaming), 'event-streaming');
    assert.strictEqual(await page.locator('.modal h1').innerText(), 'Connect to Beacon');
    const text = (await page.locator('.modal').textContent()) ?? '';
    for (const expected of [
      'Beacon Region',
      'REST API Key',
      'Beacon App ID',
      'external_id',
      'Specify event properties to send',
    ])
      assert.ok(text.includes(expected), expected);
    assert.strictEqual(await page.locator('.required').count(), 1);
  });

  it('event ingestion: subtitle, numbered steps, the API key block, images, resources', async () => {
    const { page } = await open(previewFile(EXAMPLE_FILES.ingestion), 'event-ingestion');
    assert.strictEqual(await page.locator('.steps li').count(), 6);
    assert.strictEqual(await page.locator('.api-key').count(), 1);
    assert.strictEqual(await page.locator('.step-image').count(), 3);
    assert.match(await page.locator('.resources').innerText(), /Relay help center/);
  });

  it('hostile manifest text shows as text and runs nothing', async () => {
    const hostile = readExample('ingestion')
      .replace('"displayName": "Relay"', '"displayName": "<img src=x onerror=alert(1)>"')
      .replace(
        '"text": "Click Save. Events appear in Amplitude within a few minutes."',
        '"text": "</script><script>window.pwned = 1; alert(2)</script>"',
      )
      .replace(
        '"additionalResources": "See the',
        '"additionalResources": "[x](javascript:alert(3)) <b onmouseover=alert(4)>b</b> See the',
      );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-hostile-'));
    fs.cpSync(path.dirname(EXAMPLE_FILES.ingestion), dir, { recursive: true });
    const manifest = path.join(dir, 'hostile.amplitude.json');
    fs.writeFileSync(manifest, hostile);
    const { page, dialogs } = await open(previewFile(manifest), 'hostile');
    assert.strictEqual(await page.locator('.tile-name').innerText(), '<img src=x onerror=alert(1)>');
    assert.match(await page.locator('.steps').innerText(), /<\/script><script>window\.pwned = 1/);
    assert.strictEqual(await page.evaluate('typeof window.pwned'), 'undefined');
    await page.waitForTimeout(200);
    assert.deepStrictEqual(dialogs, []);
    const links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepStrictEqual(links, ['https://help.relay.example/amplitude'], 'only the https link is live');
    assert.match(await page.locator('.resources').innerText(), /\[x\]\(javascript:alert\(3\)\) <b onmouseover/);
  });
});
