import { ADMIN, uniqueBeak } from '../fixtures/identity.fixture';
import { describeInBrowser, fillBeak, logIn, signUp, WebRun } from './support/browser';

jest.setTimeout(120_000);

describeInBrowser('web: sign up, log in, who am I', () => {
  let run: WebRun;
  beforeAll(async () => {
    run = await WebRun.start('identity');
  });
  afterAll(() => run?.close());

  it('a new worker signs up, sees who they are, logs out and logs back in', async () => {
    const page = await run.open();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await run.checkPage(page, 'login');
    const worker = { name: 'Wendy Web', email: `wendy-${Date.now()}@popug.io`, beak: uniqueBeak() };
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Sign up' }).waitFor();
    await run.checkPage(page, 'signup');
    await signUp(page, worker);
    await page.getByRole('heading', { name: 'Hello, Wendy Web' }).waitFor();
    await run.checkPage(page, 'home');
    await page.getByRole('link', { name: 'Who am I' }).click();
    await expectText(page.getByTestId('my-role'), 'worker');
    await run.checkPage(page, 'me');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await logIn(page, worker);
    await page.getByRole('heading', { name: 'Hello, Wendy Web' }).waitFor();
  });

  it('at phone width the menu folds behind a button, opened from the keyboard, and folds again once a page is chosen', async () => {
    const page = await run.openAs(ADMIN);
    await page.setViewportSize({ width: 390, height: 844 });
    const menu = page.getByRole('button', { name: 'Menu' });
    const link = page.getByRole('link', { name: 'Who am I' });
    expect([await menu.getAttribute('aria-expanded'), await link.isVisible()]).toEqual(['false', false]);
    await menu.focus();
    await page.keyboard.press('Enter');
    await link.waitFor({ state: 'visible' });
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await run.checkPage(page, 'menu-open');
    await link.click();
    await page.getByRole('heading', { name: 'Who am I' }).waitFor();
    await link.waitFor({ state: 'hidden' });
  });

  it('while the read models lag (503 READ_MODEL_LAGGING) the page says it is catching up, retries after Retry-After, then shows the answer', async () => {
    const page = await run.openAs(ADMIN);
    let lagged = 0;
    await page.route(
      (url) => url.pathname === '/users',
      async (route) => {
        if (lagged++ > 0) return route.continue();
        await route.fulfill({
          status: 503,
          headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
          body: JSON.stringify({ error: { code: 'READ_MODEL_LAGGING', message: 'The read models have not caught up yet', details: {} } }),
        });
      },
    );
    await page.getByRole('link', { name: 'Users' }).click();
    await expectText(page.getByRole('status'), 'Still catching up, retrying…');
    await page.getByRole('cell', { name: ADMIN.email }).waitFor();
    expect(lagged).toBe(2);
    expect(await page.getByText('Still catching up, retrying…').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('a wrong current beak is the answer itself: no token refresh, no second attempt counted against the user', async () => {
    const page = await run.openAs(ADMIN);
    const sent: string[] = [];
    page.on('request', (request) => sent.push(new URL(request.url()).pathname));
    await page.getByRole('link', { name: 'Who am I' }).click();
    await fillBeak(page, { ...ADMIN.beak, depth: ADMIN.beak.depth + 2 }, 'Current beak');
    await fillBeak(page, uniqueBeak(), 'New beak');
    await page.getByRole('button', { name: 'Change beak' }).click();
    await expectText(page.getByRole('alert'), 'INVALID_CREDENTIALS');
    expect(sent.filter((path) => path.startsWith('/auth/'))).toEqual(['/auth/me/beak']);
  });

  it('logging out with an expired access token ends the session the refresh made, not only the old one', async () => {
    const person = { name: 'Lou Logout', email: `lou-${Date.now()}@popug.io`, beak: uniqueBeak() };
    const page = await run.open();
    await signUp(page, person);
    let expired = false;
    await page.route(
      (url) => url.pathname === '/auth/logout',
      async (route) => {
        if (expired) return route.continue();
        expired = true;
        await route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'The access token has expired', details: {} } }) });
      },
    );
    const refreshed: string[] = [];
    page.on('response', async (response) => {
      if (new URL(response.url()).pathname === '/auth/refresh' && response.ok()) refreshed.push((await response.json()).refreshToken);
    });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(refreshed).toHaveLength(1);
    const reuse = await run.platform.http.post('/auth/refresh').send({ refreshToken: refreshed[0] });
    expect([reuse.status, reuse.body.error?.code]).toEqual([401, 'INVALID_REFRESH_TOKEN']);
  });

  it('a crafted address whose id would leave its API path opens no page and sends nothing', async () => {
    const page = await run.openAs(ADMIN);
    const sent: string[] = [];
    page.on('request', (request) => sent.push(new URL(request.url()).pathname));
    for (const crafted of ['/#/orders/..%2F..%2Fauth%2Fusers', '/#/tasks/%2e%2e', '/#/ticketing/shows/a%2Fb']) {
      await page.goto(crafted);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    }
    expect(sent.filter((path) => !path.startsWith('/auth/me') && path !== '/')).toEqual([]);
  });

  it('a wrong beak is refused with the API message, where the form is', async () => {
    const page = await run.open();
    await page.getByLabel('Email').fill(ADMIN.email);
    await fillBeak(page, { ...ADMIN.beak, length: ADMIN.beak.length + 3 });
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectText(page.getByRole('alert'), 'INVALID_CREDENTIALS');
    expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(0);
  });

  it('an admin sees the users page; a worker is told it is not for them', async () => {
    const admin = await run.openAs(ADMIN);
    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.getByRole('cell', { name: ADMIN.email }).waitFor();
    await run.checkPage(admin, 'users');
    const worker = { name: 'Walt Web', email: `walt-${Date.now()}@popug.io`, beak: uniqueBeak() };
    const page = await run.open();
    await signUp(page, worker);
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await page.goto('/#/users');
    await expectText(page.getByRole('main'), 'This page is for admin, manager only.');
  });
});

async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}
