/** What a person sees in code-server: panels, widgets, the editor after a command. Each check stands alone. */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { waitFor } from '../poll';
import { REPO } from '../toolchain';
import { TOKEN } from '../workspace';
import {
  answerInputBox,
  answerQuickPick,
  frameWithText,
  quickOpen,
  runCommand,
  screenshot,
  visibleEditorText,
} from './driver';

export interface ScreenCheck {
  name: string;
  run(page: Page, workspace: string): Promise<void>;
}

const until = <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000) =>
  waitFor(what, probe, timeoutMs);

const responsePanel: ScreenCheck = {
  name: 'the response panel shows the status and classification',
  async run(page) {
    const frame = await until('a webview with the response', () => frameWithText(page, /401 Unauthorized/));
    const text = await frame.locator('body').innerText();
    if (!/Unauthorized \(bad API token\)/.test(text))
      throw new Error(`classification not shown: ${text.slice(0, 300)}`);
    if (text.includes('wrong-token') || text.includes(TOKEN)) throw new Error('a secret is visible in the panel');
    await screenshot(page, 'response-panel');
  },
};

const statusBarSelection = (page: Page) =>
  page
    .locator('.statusbar')
    .innerText()
    .then((t) => /Ln \d+, Col \d+( \(\d+ selected\))?/.exec(t)?.[0] ?? '');

const setupPreview: ScreenCheck = {
  name: 'the preview webview shows the setup modal, and a click on a field selects its declaration',
  async run(page) {
    // The preview follows the active manifest: Tagline's where it was opened, Pushwave's after the Test Endpoint suite.
    const frame = await until('a webview with the modal', () =>
      frameWithText(page, /Connect to (Tagline CRM|Pushwave)/),
    );
    const text = await frame.locator('body').innerText();
    const expected = text.includes('Connect to Pushwave')
      ? ['Pushwave API Token', 'Workspace ID', 'Data Center', 'User ID Mapping']
      : ['Tagline API Key', 'Account Subdomain', 'Attribute Prefix'];
    for (const label of expected) if (!text.includes(label)) throw new Error(`${label} is not in the preview`);
    await screenshot(page, 'preview-panel');
    // Another editor's webview frame lies over this one for Playwright's hit test: the click is dispatched on the field.
    const before = await statusBarSelection(page);
    await frame.locator('[data-path]', { hasText: expected[1] }).first().dispatchEvent('click');
    await until("the field's declaration selected in the editor", async () => {
      const now = await statusBarSelection(page);
      return now !== before && now.includes('selected') ? true : undefined;
    });
  },
};

const eventBodyPreview: ScreenCheck = {
  name: 'the event body preview renders the template with the real engine, and again for another sample',
  async run(page) {
    await quickOpen(page, 'body.ftl');
    await runCommand(page, 'Amplitude: Preview Event Body');
    const frame = await until(
      'a webview with the rendered body',
      () => frameWithText(page, /"name": "Push Notification Send"/),
      30_000,
    );
    await screenshot(page, 'event-body-preview');
    await frame.locator('#sample').selectOption('Email Click');
    await until('the body rendered for Email Click', () => frameWithText(page, /"name": "Email Click"/));
  },
};

const markersText = (page: Page) => page.locator('.markers-panel').first().innerText();

const problemsPanel: ScreenCheck = {
  name: 'the Problems panel lists the planted diagnostic, and the one of a manifest never opened',
  async run(page) {
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').first().waitFor({ timeout: 15_000 });
    await until('the planted problem', async () =>
      (await markersText(page)).includes('$campaign is not declared') ? true : undefined,
    );
    await until('the closed manifest', async () =>
      (await markersText(page)).includes('$never_opened is not declared') ? true : undefined,
    );
    await screenshot(page, 'problems-panel');
  },
};

/** Puts the cursor inside the closing quote of `"source": "amplitude"` in the broken manifest. */
async function cursorInSource(page: Page): Promise<void> {
  await quickOpen(page, 'broken.amplitude.json');
  const manifest = path.join(REPO, 'examples', 'list-based', 'pushwave-lists.amplitude.json');
  const line =
    fs
      .readFileSync(manifest, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('"source": "amplitude"')) + 1;
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(line));
  // Go to Line offers the line once the text is in its box; then the status bar shows the cursor there.
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: `line ${line}` })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await until(`the cursor on line ${line}`, async () =>
    (await statusBarSelection(page)).startsWith(`Ln ${line},`) ? true : undefined,
  );
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft'); // before the comma
  await page.keyboard.press('ArrowLeft'); // inside the closing quote
}

const dollarCompletion: ScreenCheck = {
  name: 'typing $ in a payload shows the pre-defined variables',
  async run(page) {
    await cursorInSource(page);
    await page.keyboard.type(' $', { delay: 50 });
    const widget = page.locator('.editor-widget.suggest-widget');
    try {
      await widget.waitFor({ state: 'visible', timeout: 10_000 });
    } catch (error) {
      await screenshot(page, 'suggest-after-dollar');
      await page.keyboard.press('Control+Space');
      const explicit = await widget.waitFor({ state: 'visible', timeout: 5_000 }).then(
        () => 'an explicit Ctrl+Space does show it',
        () => 'Ctrl+Space does not show it either',
      );
      throw new Error(`typing $ did not open the suggest widget (${explicit})`, { cause: error });
    }
    // List creation: the pre-defined names Amplitude fills in there (not $items or $list_id, which do not exist yet).
    await until('the pre-defined variables in the suggestions', async () => {
      const text = await widget.innerText();
      const wanted = ['$amp_cohort_name', '$amp_cohort_id', '$workspace_id'].every((n) => text.includes(n));
      return wanted && !text.includes('$list_id') ? true : undefined;
    });
    await screenshot(page, 'suggest-widget');
    await page.keyboard.press('Escape');
    await runCommand(page, 'File: Revert File');
  },
};

const formatDocument: ScreenCheck = {
  name: 'Format Document re-indents a pasted manifest and keeps its comment',
  async run(page) {
    await quickOpen(page, 'unformatted.amplitude.json');
    await runCommand(page, 'Format Document');
    const text = await until('the formatted manifest', async () => {
      const shown = (await visibleEditorText(page)).replace(/\u00a0/g, ' ');
      return /\n\s+"displayName": "Pasted",\n/.test(shown) ? shown : undefined;
    });
    if (!text.includes('// Pasted from the portal.')) throw new Error('the comment is gone');
    const indent = (key: string) => /^ */.exec(text.split('\n').find((l) => l.includes(key)) ?? '')?.[0].length ?? 0;
    const unit = indent('"kind"');
    if (unit === 0 || indent('"displayName"') !== 2 * unit)
      throw new Error(`not indented by nesting:\n${text.slice(0, 400)}`);
    await screenshot(page, 'format-document');
  },
};

const foldLevel2: ScreenCheck = {
  name: "Fold Level 2 folds the manifest's JSON structure: every top-level key on screen, endpoints closed",
  async run(page) {
    await quickOpen(page, 'pushwave-lists.amplitude.json');
    await page.keyboard.press('Control+Home');
    await runCommand(page, 'Fold Level 2');
    await until('the top-level keys folded', async () => {
      const text = await visibleEditorText(page);
      const keys = ['"connection"', '"mappingFields"', '"slugifyCohortName"', '"endpoints"'];
      return keys.every((k) => text.includes(k)) && !text.includes('"listCreation"') ? true : undefined;
    });
    await screenshot(page, 'fold-level-2');
    await runCommand(page, 'Unfold All');
  },
};

const templateLink: ScreenCheck = {
  name: 'Ctrl+click on the bodyTemplate opens the template',
  async run(page) {
    await quickOpen(page, 'beacon-events.amplitude.json');
    const link = page.locator('.view-line span', { hasText: 'body.ftl' }).last();
    await link.waitFor({ timeout: 10_000 });
    await link.click({ modifiers: ['Control'] });
    await page.locator('.tab.active', { hasText: 'body.ftl' }).first().waitFor({ timeout: 10_000 });
  },
};

const newIntegration: ScreenCheck = {
  name: 'New Integration, as a new user: a manifest with zero problems and its preview',
  async run(page, workspace) {
    await page.keyboard.press('Escape');
    await runCommand(page, 'Amplitude: New Integration');
    await answerQuickPick(page, 'property-based');
    await answerInputBox(page, 'Zeta Demo');
    const manifest = path.join(workspace, 'zeta-demo.amplitude.json');
    await until('the new manifest', () => (fs.existsSync(manifest) ? true : undefined), 15_000);
    await until('its preview', () => frameWithText(page, /Connect to Zeta Demo/));
    const gitignore = fs.readFileSync(path.join(workspace, '.gitignore'), 'utf8');
    if (!gitignore.includes('.amplitude/')) throw new Error('.gitignore does not ignore .amplitude/');
    // Zero problems, shown once the server has checked it: a planted error appears, then goes with Undo.
    await quickOpen(page, 'zeta-demo.amplitude.json');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('x');
    await until('the planted error listed for zeta-demo', async () =>
      (await markersText(page)).includes('zeta-demo') ? true : undefined,
    );
    await page.keyboard.press('Control+Z');
    await until('no problem left for zeta-demo', async () =>
      (await markersText(page)).includes('zeta-demo') ? undefined : true,
    );
    await screenshot(page, 'new-integration');
  },
};

export const SCREEN_CHECKS: ScreenCheck[] = [
  responsePanel,
  setupPreview,
  eventBodyPreview,
  problemsPanel,
  dollarCompletion,
  formatDocument,
  foldLevel2,
  templateLink,
  newIntegration,
];
