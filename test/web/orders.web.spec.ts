import type { Locator, Page } from 'playwright-core';
import { ADMIN, bearer, Staff, uniqueBeak } from '../fixtures/identity.fixture';
import { registerProvider } from '../fixtures/orders.fixture';
import { eventually } from '../support/wait';
import { describeInBrowser, signUp, WebRun } from './support/browser';

jest.setTimeout(120_000);

/** Settings that make the fulfilment workflow quick (as test/orders-fulfilment.e2e.spec.ts uses them). */
const FAST = { ORDERS_RETRY_BASE_MS: '50', ORDERS_RETRY_MAX_MS: '200', ORDERS_POLL_AFTER_MS: '500', EVENT_STORE_POLL_MS: '50' };
/** Accepts after 100 ms, then one status further every 0.7 s: delivered some 3 s after placing, slow enough to watch. */
const WATCHABLE = { acceptAfterMs: 100, stepMs: 700 };

/**
 * Delibery in the browser: an admin registers a provider and writes its menu through the admin
 * pages, a customer who signed up through the form fills a cart from two restaurants (its total
 * in cents from the menu's strings), places the order and watches it reach `delivered` on the
 * order page without reloading, from the order's event stream; the admin finds it among all
 * orders. A second order is cancelled from its page.
 */
describeInBrowser('web: Delibery food orders', () => {
  let run: WebRun;
  let staff: Staff;
  let customer: Page;

  beforeAll(async () => {
    // The platform's config reads only the env given here, so a WEB_DIR set for jest is passed on.
    run = await WebRun.start('orders', { ...FAST, ...(process.env.WEB_DIR ? { WEB_DIR: process.env.WEB_DIR } : {}) });
    staff = await Staff.of(run.platform.http);
  });
  afterAll(() => run?.close());

  it('an admin adds a restaurant and its menu; a customer orders from two, watches it delivered live; the admin sees it among all orders', async () => {
    await registerProvider(run.platform.http, staff.admin, {
      name: 'Pizza Pinguino',
      simulation: WATCHABLE,
      menu: [
        { sku: 'margherita', name: 'Margherita', price: '8.50' },
        { sku: 'water', name: 'Sparkling water', price: '1.2' },
      ],
    });

    const admin = await run.openAs(ADMIN);
    await navLink(admin, 'Providers').click();
    await admin.getByRole('cell', { name: 'Pizza Pinguino', exact: true }).waitFor();
    await run.checkPage(admin, 'providers');
    const form = admin.getByRole('form', { name: 'Add a provider' });
    await form.getByLabel('Name', { exact: true }).fill('Sushi Floe');
    await form.getByLabel('Adapter').selectOption('simulated');
    await form.getByLabel('Secret').fill('sushi-floe-shared-secret');
    await form.getByLabel('Accepts after (ms)').fill(String(WATCHABLE.acceptAfterMs));
    await form.getByLabel('Each step (ms)').fill(String(WATCHABLE.stepMs));
    await form.getByRole('button', { name: 'Add provider' }).click();
    await admin.getByRole('link', { name: 'Set its menu' }).click();
    await admin.getByRole('heading', { name: 'Menu of Sushi Floe' }).waitFor();
    await admin.getByLabel('SKU, dish 1').fill('maki');
    await admin.getByLabel('Name, dish 1').fill('Maki roll');
    await admin.getByLabel('Price, dish 1').fill('0.10');
    await admin.getByRole('button', { name: 'Add a dish' }).click();
    await admin.getByLabel('SKU, dish 2').fill('miso');
    await admin.getByLabel('Name, dish 2').fill('Miso soup');
    await admin.getByLabel('Price, dish 2').fill('2.05');
    await run.checkPage(admin, 'menu');
    await admin.getByRole('button', { name: 'Save menu' }).click();
    await admin.getByText('The menu is saved.').waitFor();
    await admin.getByRole('link', { name: 'All providers' }).click();
    await expect(rowOf(admin, 'Sushi Floe')).resolves.toEqual(['Sushi Floe', 'simulated', '2', 'Edit menu']);

    customer = await run.open();
    await signUp(customer, { name: 'Cora Customer', email: `cora-${Date.now()}@popug.io`, beak: uniqueBeak(), role: 'customer' });
    await navLink(customer, 'Restaurants').click();
    await customer.getByRole('heading', { name: 'Sushi Floe' }).waitFor();
    await run.checkPage(customer, 'restaurants');
    // 3 × 0.10 is 0.30000000000000004 in floating point; the cart counts cents.
    await customer.getByLabel('Quantity of Maki roll from Sushi Floe').fill('3');
    await customer.getByRole('button', { name: 'Add to cart: Maki roll from Sushi Floe' }).click();
    await customer.getByRole('button', { name: 'Add to cart: Margherita from Pizza Pinguino' }).click();
    await customer.getByLabel('Quantity of Sparkling water from Pizza Pinguino').fill('2');
    await customer.getByRole('button', { name: 'Add to cart: Sparkling water from Pizza Pinguino' }).click();
    // 0.30 + 8.50 + 2.40
    await customer.getByRole('link', { name: 'Cart: 6 items, 11.20' }).click();

    await customer.getByRole('heading', { name: 'Cart' }).waitFor();
    expect(await customer.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Sushi Floe', 'Pizza Pinguino', 'Place the order']);
    await expect(subtotals(customer)).resolves.toEqual(['0.30', '10.90']);
    await expect(customer.getByTestId('cart-total').textContent()).resolves.toBe('11.20');
    await customer.getByLabel('Delivery address').fill('Penguin Lane 4, Ice City');
    await run.checkPage(customer, 'cart');
    await customer.getByRole('button', { name: 'Place order' }).click();

    await customer.waitForURL(/#\/orders\/[0-9a-f-]{36}$/);
    const orderUrl = customer.url();
    const status = customer.getByTestId('order-status');
    await status.waitFor();
    await customer.evaluate('window.ordersNotReloaded = true');
    expect(await status.textContent()).not.toContain('delivered');
    await expect(customer.getByTestId('order-total').textContent()).resolves.toBe('11.20');
    await run.checkPage(customer, 'order');
    await status.filter({ hasText: 'delivered' }).waitFor({ timeout: 20_000 });
    await customer.getByRole('region', { name: 'One sub-order per restaurant' }).getByRole('row').filter({ hasText: 'delivered' }).nth(1).waitFor();
    expect(await customer.evaluate('window.ordersNotReloaded')).toBe(true);
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect((await rowOf(customer, 'Sushi Floe')).slice(0, 2)).toEqual(['Sushi Floe', 'delivered']);
    expect((await rowOf(customer, 'Pizza Pinguino')).slice(0, 2)).toEqual(['Pizza Pinguino', 'delivered']);
    const history = await customer.getByRole('list', { name: 'Every change, oldest first' }).getByRole('listitem').allTextContents();
    for (const restaurant of ['Sushi Floe', 'Pizza Pinguino']) for (const step of ['accepted', 'preparing', 'ready', 'picked up', 'delivered']) expect(history.join('\n')).toContain(`${restaurant}: ${step}`);
    expect(history.at(-1)).toContain('The order: delivered');
    expect(await customer.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);

    await navLink(customer, 'My orders').click();
    const mine = customer.getByRole('region', { name: 'My orders, newest first' }).getByRole('row').filter({ hasText: '11.20' });
    await mine.filter({ hasText: 'delivered' }).waitFor();
    await run.checkPage(customer, 'my-orders');

    await navLink(admin, 'All orders').click();
    const every = admin.getByRole('region', { name: 'Every order, newest first' }).getByRole('row').filter({ hasText: '11.20' });
    await every.filter({ hasText: 'delivered' }).filter({ hasText: 'Sushi Floe' }).filter({ hasText: 'Pizza Pinguino' }).waitFor();
    await run.checkPage(admin, 'all-orders');
    await admin.getByLabel('Status').selectOption('cancelled');
    await admin.getByText('No orders.').waitFor();
    await admin.getByLabel('Status').selectOption('delivered');
    await admin.getByRole('region', { name: 'Orders that are delivered, newest first' }).getByRole('row').filter({ hasText: '11.20' }).getByRole('link').click();
    await admin.waitForURL(orderUrl);
    await admin.getByTestId('order-status').filter({ hasText: 'delivered' }).waitFor();
  });

  it('a retry after a lost answer places the order once; the customer cancels it once accepted, and sees it cancelled live', async () => {
    const soup = await registerProvider(run.platform.http, staff.admin, { name: 'Slow Soup', simulation: { acceptAfterMs: 100, stepMs: 600_000 }, menu: [{ sku: 'borscht', name: 'Borscht', price: '5.00' }] });
    // The restaurants page shows the menus as the read model has them when it opens (it failed so once, opened first).
    await eventually(async () => {
      const providers = (await run.platform.http.get('/orders/providers').set(bearer(staff.admin)).expect(200)).body as Array<{ providerId: string; menu: unknown[] }>;
      return providers.some((provider) => provider.providerId === soup && provider.menu.length > 0);
    }, 20_000, 'the new menu in the providers read model');
    await navLink(customer, 'Restaurants').click();
    await customer.getByRole('button', { name: 'Add to cart: Borscht from Slow Soup' }).click();
    await navLink(customer, 'Cart').click();
    await customer.getByLabel('Delivery address').fill('Penguin Lane 4, Ice City');
    // The first answer is lost on the way back (the server did place the order): the retry of the same cart sends the same key, so one order comes of it.
    const keys: string[] = [];
    await customer.route('**/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push((await route.request().headerValue('idempotency-key')) ?? '');
      if (keys.length > 1) return route.continue();
      await route.fetch();
      await route.abort('connectionreset');
    });
    await customer.getByRole('button', { name: 'Place order' }).click();
    await customer.getByRole('alert').waitFor();
    await customer.getByRole('button', { name: 'Place order' }).click();
    await customer.waitForURL(/#\/orders\/[0-9a-f-]{36}$/);
    await customer.unroute('**/orders');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const status = customer.getByTestId('order-status');
    await status.filter({ hasText: 'confirmed' }).waitFor({ timeout: 15_000 });
    // The order is in the read model now (its page shows it): one order of 5.00 besides the first test's.
    const all = await run.platform.http.get('/orders').set(bearer(staff.admin)).expect(200);
    expect(all.body.items.map((order: { total: string }) => order.total)).toEqual(['5.00', '11.20']);
    await customer.getByRole('button', { name: 'Cancel order' }).click();
    await status.filter({ hasText: 'cancelled' }).waitFor({ timeout: 20_000 });
    expect((await rowOf(customer, 'Slow Soup')).slice(0, 2)).toEqual(['Slow Soup', 'cancelled']);
    expect(await customer.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
  });
});

function navLink(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** The cells' texts of the table row that starts with `first`. */
async function rowOf(page: Page, first: string): Promise<string[]> {
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: first, exact: true }) }).first();
  await row.waitFor();
  return (await row.getByRole('cell').allTextContents()).map((text) => text.trim());
}

/** Each restaurant's subtotal on the cart page. */
async function subtotals(page: Page): Promise<string[]> {
  return (await page.getByRole('row').filter({ hasText: 'Subtotal' }).allTextContents()).map((text) => text.replace('Subtotal', '').trim());
}
