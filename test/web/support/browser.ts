import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Beak } from '../../../libs/identity/src/domain/beak';
import { startPlatform } from '../../fixtures/identity.fixture';
import type { TestApp, TestAppOptions } from '../../support/test-app';

/** Debian's Chromium (npm's browser downloads cannot work here), or the one CHROMIUM_PATH names. */
export const CHROMIUM_PATH = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((path): path is string => !!path && existsSync(path));

const SKIP_REASON = 'skipped: no Chromium found (set CHROMIUM_PATH, or apt-get install -y chromium for /usr/bin/chromium)';

/**
 * `describe` for browser tests: skipped, saying why in its name and in the output, when this
 * machine has no Chromium. CI installs Debian's first, so there they always run.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (CHROMIUM_PATH) return describe(name, body);
  console.warn(`Browser tests "${name}" ${SKIP_REASON}`);
  describe.skip(`${name} (${SKIP_REASON})`, body);
}

/** Where each test's screenshots go (not committed): test-results/web/<test name>/<page>.png. */
export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-results', 'web');

// Without the background-networking flags Chromium tries Google's hosts, which this machine refuses.
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export interface Person {
  email: string;
  beak: Beak;
}

/**
 * The whole platform (api and worker, as `npm start` runs it, serving the built web app) on a
 * fresh database, and a headless Chromium to drive it. Each person gets a browser context of
 * their own (their own session), as two people on two machines would.
 */
export class WebRun {
  private constructor(
    readonly platform: TestApp,
    readonly baseUrl: string,
    private readonly browser: Browser,
    private readonly folder: string,
  ) {}

  /** `env`: settings on top of the defaults; `overrides`: providers replaced by test doubles (a scripted price draw). */
  static async start(testName: string, env: Record<string, string> = {}, overrides?: TestAppOptions['overrides']): Promise<WebRun> {
    // The test's own build when WEB_DIR says where (startTestApp reads the settings it is given, not the process's).
    const platform = await startPlatform({ env: { ...(process.env.WEB_DIR ? { WEB_DIR: process.env.WEB_DIR } : {}), ...env }, overrides });
    const address = platform.app.getHttpServer().address() as { port: number };
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
    const folder = join(SCREENSHOTS, testName);
    mkdirSync(folder, { recursive: true });
    return new WebRun(platform, `http://127.0.0.1:${address.port}`, browser, folder);
  }

  /** A new browser context and page at `/`; uncaught page errors fail the test. */
  async open(): Promise<Page> {
    const context: BrowserContext = await this.browser.newContext({ baseURL: this.baseUrl, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw new Error(`the page threw: ${error.message}`);
    });
    await page.goto('/');
    return page;
  }

  /** A page logged in as `person`, through the login form as a person would. */
  async openAs(person: Person): Promise<Page> {
    const page = await this.open();
    await logIn(page, person);
    return page;
  }

  /**
   * Checks the page with axe-core (no serious or critical violation of WCAG 2.1 A/AA), checks it
   * reads at phone width without sideways scrolling, and writes both screenshots.
   */
  async checkPage(page: Page, name: string): Promise<void> {
    await page.locator('[role="status"].spinner').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    expect({ page: name, violations: serious }).toEqual({ page: name, violations: [] });
    await page.screenshot({ path: join(this.folder, `${name}.png`), fullPage: true });
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    // What follows its container's width (a chart) does so on the next frames.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    // A string, as the tests compile without the DOM's types.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect({ page: name, sidewaysScrollAtPhoneWidth: overflow > 1 }).toEqual({ page: name, sidewaysScrollAtPhoneWidth: false });
    await page.screenshot({ path: join(this.folder, `${name}-phone.png`), fullPage: true });
    if (viewport) await page.setViewportSize(viewport);
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.platform.close();
  }
}

/** Fills the beak's four numbers into the fieldset with `legend` (the login and sign-up forms' "Beak shape"). */
export async function fillBeak(page: Page, beak: Beak, legend = 'Beak shape'): Promise<void> {
  const fieldset = page.getByRole('group', { name: legend });
  for (const part of ['length', 'depth', 'width', 'curvature'] as const) await fieldset.getByLabel(part, { exact: false }).fill(String(beak[part]));
}

export async function logIn(page: Page, person: Person): Promise<void> {
  await page.goto('/#/login');
  await page.getByLabel('Email').fill(person.email);
  await fillBeak(page, person.beak);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** Signs up through the form (and is logged in by it). */
export async function signUp(page: Page, person: Person & { name: string; role?: 'worker' | 'customer' }): Promise<void> {
  await page.goto('/#/signup');
  await page.getByLabel('Name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  if (person.role) await page.getByLabel('I am').selectOption(person.role);
  await fillBeak(page, person.beak);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}
