/** Driving code-server's workbench as a person does: keys, Quick Open, the command palette. Waits on what shows. */
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { waitFor } from '../poll';
import { RESULTS_DIR } from '../toolchain';

export async function frameWithText(page: Page, pattern: RegExp): Promise<Frame | undefined> {
  for (const frame of page.frames()) {
    try {
      const text = await frame.locator('body').innerText({ timeout: 1000 });
      if (pattern.test(text)) return frame;
    } catch {
      // a frame that went away
    }
  }
  return undefined;
}

/** The quick input's focused row once it shows `text`, then Enter; done when that row is gone (the next may open). */
async function pickFocused(page: Page, text: string): Promise<void> {
  const focused = page.locator('.quick-input-widget .monaco-list-row.focused');
  // A closed quick input keeps its rows in the page: only a visible row counts.
  const showing = async () =>
    (await focused.count()) > 0 &&
    (await focused.first().isVisible()) &&
    (
      await focused
        .first()
        .innerText({ timeout: 1000 })
        .catch(() => '')
    ).includes(text);
  await waitFor(`"${text}" focused in the quick input`, async () => ((await showing()) ? true : undefined), 10_000);
  await page.keyboard.press('Enter');
  await waitFor(`"${text}" chosen`, async () => ((await showing()) ? undefined : true), 10_000);
}

/** Quick Open (Ctrl+P), as a person opens a file by name; done when its tab is the active one. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.keyboard.type(fileName);
  await pickFocused(page, fileName);
  await page.locator('.tab.active', { hasText: fileName }).first().waitFor({ timeout: 10_000 });
}

/** A command by its title in the command palette (Ctrl+Shift+P). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type(title);
  await pickFocused(page, title);
}

/** Answers an open quick pick or input box: picks the focused row showing `text`, or types and confirms. */
export async function answerQuickPick(page: Page, text: string): Promise<void> {
  await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(text);
  await pickFocused(page, text);
}

export async function answerInputBox(page: Page, text: string): Promise<void> {
  const box = page.locator('.quick-input-widget .quick-input-box input');
  await box.first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(text);
  await waitFor(
    'the input box to hold the text',
    async () => ((await box.first().inputValue()) === text ? true : undefined),
    5000,
  );
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The active editor's text as the screen shows it (the visible lines). */
export async function visibleEditorText(page: Page): Promise<string> {
  return page
    .locator('.editor-instance.active .view-lines, .editor-group-container.active .view-lines')
    .first()
    .innerText();
}

export function screenshot(page: Page, name: string): Promise<unknown> {
  return page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`) }).catch(() => undefined);
}
