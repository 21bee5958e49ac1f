import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../testkit/stack.js';

/**
 * A real browser (a system Chromium, never a downloaded one) opens GraphiQL, runs a query and
 * sees the data, and no request leaves the machine. .ci/run installs Debian's Chromium.
 * Without one the test is skipped, with one line saying why, unless CI is set: there a
 * missing browser fails.
 */
const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
/** CHROMIUM_PATH if set, else /usr/bin/chromium, else the first Chromium or Chrome on PATH. */
function findChromium(): string | undefined {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) return executable(chosen) ? chosen : undefined;
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const found = dirs.map((dir) => join(dir, name)).find(executable);
    if (found) return found;
  }
  return undefined;
}
const CHROMIUM = findChromium();
const UNDER_CI = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());
const MISSING = process.env.CHROMIUM_PATH
  ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable`
  : 'no Chromium at /usr/bin/chromium or on PATH (chromium, chromium-browser, google-chrome)';
if (!CHROMIUM && !UNDER_CI) {
  // One line, whatever the reporter: a skip that says nothing is a test nobody knows is off.
  process.stderr.write(`graphiql.browser.test.ts skipped: ${MISSING}; set CHROMIUM_PATH or apt-get install chromium\n`);
}

describe.skipIf(!CHROMIUM && !UNDER_CI)('GraphiQL in a system Chromium', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error(`CI is set and ${MISSING}: set CHROMIUM_PATH or apt-get install chromium (.ci/run does)`);
    stack = await startStack();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      // Playwright gives every launch a fresh, empty profile of its own.
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('opens GraphiQL, runs a query, shows the data, and never leaves localhost', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requested: string[] = [];
    const local = (url: string) => /^(http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:|about:)/.test(url);
    page.on('request', (request) => requested.push(request.url()));
    // Anything not local is refused outright, so a regression cannot even try to load it.
    await page.route('**/*', (route) => (local(route.request().url()) ? route.continue() : route.abort()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    const build = stack.emulator.data.builds[0]!;
    await page.goto(`${stack.subgraph.url}/graphql`);
    await page.waitForSelector('.graphiql-container', { timeout: 20_000 });
    // Open a fresh tab and type a query, as a person would.
    await page.click('.graphiql-tab-add');
    await page.locator('.graphiql-query-editor .CodeMirror').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(`query One { build(id: "${build.id}") { id projectName buildStatus } }`);
    // GraphiQL re-reads an edited document on a debounce, then names the tab after its operation:
    // once the tab says "One", the run button sends what was typed (no sleep needed).
    await expect.poll(async () => page.locator('.graphiql-tab-active').innerText(), { timeout: 10_000 }).toContain('One');
    await page.click('.graphiql-execute-button');
    const result = page.locator('.result-window');
    await expect.poll(async () => result.innerText(), { timeout: 15_000 }).toContain(build.projectName!);
    expect(await result.innerText()).toContain(build.id!);

    expect(errors).toEqual([]);
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => !local(url))).toEqual([]);
    await context.close();
  }, 60_000);
});
