import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../testkit/stack.js';
import { startDemoProcess, type DemoProcess } from './support/demo-process.js';

/**
 * A real browser (a system Chromium, never a downloaded one) opens GraphiQL, runs a query and
 * sees the data, and no request leaves the machine; the demo's GraphiQL under the image's
 * NODE_ENV=production has its schema, clean examples and readable tabs; INTROSPECTION=off
 * gets the static page and no GraphiQL. .ci/run installs Debian's Chromium.
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

const isLocal = (url: string) => /^(http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:|about:)/.test(url);

interface LocalPage {
  page: Page;
  context: BrowserContext;
  /** Every URL the page asked for. */
  requested: string[];
  /** Uncaught errors in the page. */
  errors: string[];
}

/** A fresh context whose page may reach this machine only: anything else is refused outright, so a regression cannot even try to load it. */
async function openLocal(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<LocalPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const requested: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*', (route) => (isLocal(route.request().url()) ? route.continue() : route.abort()));
  return { page, context, requested, errors };
}

/** The two editors of the active tab. */
const EDITORS = {
  query: '.graphiql-query-editor .CodeMirror',
  variables: '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror',
};

/**
 * The few browser members the page functions below use, typed here because the project compiles
 * without the DOM library. Each function runs in the page, so it takes them from its own
 * globalThis. CodeMirror 5 hangs its instance on its wrapper element.
 */
interface PageElement {
  innerText: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  firstElementChild: PageElement | null;
  getBoundingClientRect(): { left: number; right: number };
  querySelectorAll(selector: string): Iterable<PageElement>;
  CodeMirror: { operationName: string | null; setValue(text: string): void; performLint(): void };
}
interface PageGlobals {
  document: {
    querySelector(selector: string): PageElement;
    querySelectorAll(selector: string): Iterable<PageElement>;
    getElementById(id: string): PageElement;
    scripts: { length: number };
    body: PageElement;
  };
  Image: new () => { naturalWidth: number; naturalHeight: number; onload: (() => void) | null; onerror: (() => void) | null; src: string };
  getComputedStyle(element: PageElement): { maxWidth: string };
}
/**
 * Waits until GraphiQL has read the active tab's document (it names the operation, and passes the
 * variables' types to the variables editor, on a debounce), then lints both editors at once
 * (CodeMirror's lint is synchronous for GraphQL and JSON) and counts the marks in each.
 */
async function lintMarks(page: Page, operationName: string): Promise<{ query: number; variables: number }> {
  await expect
    .poll(
      () =>
        page.evaluate(
          (selector) => (globalThis as unknown as PageGlobals).document.querySelector(selector).CodeMirror.operationName,
          EDITORS.query,
        ),
      {
        timeout: 10_000,
      },
    )
    .toBe(operationName);
  return page.evaluate((editors) => {
    const { document } = globalThis as unknown as PageGlobals;
    const count = (selector: string) => {
      const wrapper = document.querySelector(selector);
      wrapper.CodeMirror.performLint();
      return [...wrapper.querySelectorAll('.CodeMirror-lint-mark')].length;
    };
    return { query: count(editors.query), variables: count(editors.variables) };
  }, EDITORS);
}

describe.skipIf(!CHROMIUM && !UNDER_CI)('GraphiQL in a system Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error(`CI is set and ${MISSING}: set CHROMIUM_PATH or apt-get install chromium (.ci/run does)`);
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
  });

  describe('the test stack', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack();
    });
    afterAll(() => stack?.stop());

    it('opens GraphiQL, runs a query, shows the data, and never leaves localhost', async () => {
      const { page, context, requested, errors } = await openLocal(browser);
      const build = stack.emulator.data.builds[0]!;
      await page.goto(`${stack.subgraph.url}/graphql`);
      await page.waitForSelector('.graphiql-container', { timeout: 20_000 });
      // Open a fresh tab and type a query, as a person would.
      await page.click('.graphiql-tab-add');
      await page.locator(EDITORS.query).first().click();
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
      expect(requested.filter((url) => !isLocal(url))).toEqual([]);
      await context.close();
    }, 60_000);
  });

  describe('the demo as the image runs it: NODE_ENV=production, INTROSPECTION unset', () => {
    let demo: DemoProcess;
    let local: LocalPage;
    /** The operation names of the page's own example tabs, read from its config block. */
    let operations: string[];

    beforeAll(async () => {
      demo = await startDemoProcess({ NODE_ENV: 'production', INTROSPECTION: undefined });
      local = await openLocal(browser);
      const introspection = local.page.waitForResponse(
        (response) => response.request().method() === 'POST' && (response.request().postData() ?? '').includes('__schema'),
      );
      await local.page.goto(`${demo.url}/graphql`);
      await local.page.waitForSelector('.graphiql-container', { timeout: 20_000 });
      // The schema GraphiQL asked for was given: before INTROSPECTION, production refused it.
      const answer = (await (await introspection).json()) as { data?: { __schema?: { queryType: { name: string } } }; errors?: unknown };
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.__schema?.queryType.name).toBe('Query');
      operations = await local.page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const config = JSON.parse(document.getElementById('graphiql-config').textContent!) as { examples: Array<{ query: string }> };
        return config.examples.map((example) => /^query (\w+)/m.exec(example.query)![1]!);
      });
    }, 90_000);
    afterAll(async () => {
      await local?.context.close();
      await demo?.stop();
    });

    it('shows the schema in the docs explorer, completes fields, and never says introspection is not allowed', async () => {
      const { page } = local;
      await page.click('[aria-label="Show Documentation Explorer"]');
      const docs = page.locator('.graphiql-doc-explorer');
      await expect.poll(() => docs.innerText(), { timeout: 10_000 }).toContain('query: Query');
      expect(await docs.innerText()).toMatch(/\bBuild\b[\s\S]*\bFindingDetail\b/);
      await page.click('[aria-label="Hide Documentation Explorer"]');

      // Completion: typing a field's first letters lists the schema's fields.
      await page.click('.graphiql-tab-add');
      await page.locator(EDITORS.query).first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      await page.keyboard.type('{ bui');
      // Exact matches first, then the fields that merely contain the letters (recentBuilds, projectBuilds, …).
      await expect
        .poll(async () => (await page.locator('.CodeMirror-hint').allInnerTexts()).slice(0, 2), { timeout: 10_000 })
        .toEqual(['build', 'builds']);
      await page.keyboard.press('Escape');
      await page.locator('.graphiql-tab-active .graphiql-tab-close').click();

      expect(await page.locator('body').innerText()).not.toMatch(/introspection is not allowed/i);
      expect(local.errors).toEqual([]);
      expect(local.requested.filter((url) => !isLocal(url))).toEqual([]);
    }, 60_000);

    it('has no lint marker in any example tab (query or variables), yet marks the old _Any-in-variables shape', async () => {
      const { page } = local;
      const tabs = page.locator('.graphiql-tab');
      expect(await tabs.count()).toBe(operations.length);
      expect(operations).toContain('Entities');
      for (const [index, operation] of operations.entries()) {
        await tabs.nth(index).locator('.graphiql-tab-button').click();
        expect(await lintMarks(page, operation), operation).toEqual({ query: 0, variables: 0 });
      }
      // The control: the linter is live, and marks what the Entities tab used to hold.
      await page.click('.graphiql-tab-add');
      await page.evaluate((editors) => {
        const { document } = globalThis as unknown as PageGlobals;
        document
          .querySelector(editors.query)
          .CodeMirror.setValue('query Old($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }');
        document.querySelector(editors.variables).CodeMirror.setValue('{ "representations": [{ "__typename": "Build", "id": "x" }] }');
      }, EDITORS);
      const old = await lintMarks(page, 'Old');
      expect(old.query).toBe(0);
      expect(old.variables).toBeGreaterThan(0);
      await page.locator('.graphiql-tab-active .graphiql-tab-close').click();
    }, 60_000);

    it('runs the Entities example: one entity of every type, no error', async () => {
      const { page } = local;
      await page.locator('.graphiql-tab').nth(operations.indexOf('Entities')).locator('.graphiql-tab-button').click();
      await lintMarks(page, 'Entities');
      await page.click('.graphiql-execute-button');
      const result = page.locator('.result-window');
      await expect.poll(() => result.innerText(), { timeout: 15_000 }).toContain('"_entities"');
      const text = await result.innerText();
      for (const type of ['Build', 'Finding', 'FindingDetail', 'Scan']) expect(text).toContain(`"__typename": "${type}"`);
      expect(text).not.toContain('"errors"');
    }, 60_000);

    it('shows every tab title, and every example comment, whole at 1280×800', async () => {
      const { page } = local;
      const titles = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const bar = document.querySelector('.graphiql-tabs').getBoundingClientRect();
        return [...document.querySelectorAll('.graphiql-tab-button')].map((button) => {
          const box = button.getBoundingClientRect();
          return {
            text: button.innerText,
            clipped: button.scrollWidth > button.clientWidth,
            inBar: box.left >= bar.left && box.right <= bar.right,
          };
        });
      });
      expect(titles.map(({ text }) => text)).toEqual(operations);
      expect(titles.filter(({ clipped, inBar }) => clipped || !inBar)).toEqual([]);
      // A tab's opening comment must end before the editor's toolbar (run, prettify…) covers it.
      for (const [index, operation] of operations.entries()) {
        await page.locator('.graphiql-tab').nth(index).locator('.graphiql-tab-button').click();
        await lintMarks(page, operation);
        const overflowing = await page.evaluate(() => {
          const { document } = globalThis as unknown as PageGlobals;
          const limit = document.querySelector('.graphiql-query-editor .graphiql-toolbar').getBoundingClientRect().left;
          return [...document.querySelectorAll('.graphiql-query-editor .CodeMirror-line')]
            .filter((line) => line.innerText.startsWith('#'))
            .filter((line) => line.firstElementChild!.getBoundingClientRect().right > limit)
            .map((line) => line.innerText);
        });
        expect(overflowing, operation).toEqual([]);
      }
    }, 60_000);

    it('has a favicon the browser decodes', async () => {
      const { page } = local;
      expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.ico');
      // Playwright fails every favicon request of a page whose requests it routes (its own rule,
      // against flaky tests), so the bytes the subgraph serves are fetched here and handed to the
      // page's image decoder as they are.
      const response = await fetch(`${demo.url}/favicon.ico`);
      const dataUrl = `data:${response.headers.get('content-type')};base64,${Buffer.from(await response.arrayBuffer()).toString('base64')}`;
      const size = await page.evaluate(
        (src) =>
          new Promise<string>((resolve) => {
            const image = new (globalThis as unknown as PageGlobals).Image();
            image.onload = () => resolve(`${image.naturalWidth}x${image.naturalHeight}`);
            image.onerror = () => resolve('not decoded');
            image.src = src;
          }),
        dataUrl,
      );
      expect(size).toBe('32x32');
    });
  });

  describe('INTROSPECTION=off', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ env: { INTROSPECTION: 'off' } });
    });
    afterAll(() => stack?.stop());

    it('shows the static page saying how to explore, runs no script and asks for no GraphiQL asset', async () => {
      const { page, context, requested, errors } = await openLocal(browser);
      const response = await page.goto(`${stack.subgraph.url}/graphql`);
      expect(response?.status()).toBe(200);
      await expect.poll(() => page.locator('h1').innerText()).toBe('GraphiQL is off on this subgraph');
      const text = await page.locator('body').innerText();
      expect(text).toContain('INTROSPECTION=on');
      expect(text).toMatch(/router/);
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.scripts.length)).toBe(0);
      expect(await page.locator('.graphiql-container').count()).toBe(0);
      // The page's own style applied (its hash is in the CSP): not blocked, not unstyled.
      expect(
        await page.evaluate(() => {
          const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
          return getComputedStyle(document.body).maxWidth;
        }),
      ).not.toBe('none');
      expect(requested.filter((url) => url.includes('/graphiql/'))).toEqual([]);
      expect(requested.filter((url) => !isLocal(url))).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  });
});
