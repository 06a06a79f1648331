import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, ApiError } from './api-client';
import {
  type Beak,
  DEMO_ADMIN,
  DEMO_BRANCH,
  DEMO_EVENT_CODES,
  DEMO_LEDGER_ACCOUNTS,
  DEMO_ORDERS,
  DEMO_POSTINGS,
  DEMO_PROVIDERS,
  DEMO_RESERVATIONS,
  DEMO_SHOWS,
  DEMO_TASKS,
  DEMO_USERS,
  type DemoUser,
} from './demo-data';

/** The namespace of the demo's derived ids (trace keys): UUID v5 of a fixed name. */
const DEMO_NAMESPACE = 'a7d1b2c4-5e6f-4a8b-9c0d-1e2f3a4b5c6d';

export function uuidV5(name: string, namespace = DEMO_NAMESPACE): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** How many of a kind this run made, and how many were there already. */
export interface Tally {
  created: number;
  existing: number;
}

export interface SeedReport {
  /** False when everything was there already: the run wrote nothing. */
  changed: boolean;
  users: Array<{ role: string; name: string; email: string; beak: Beak; userId: string }>;
  summary: Record<'users' | 'tasks' | 'completions' | 'closedDays' | 'eventCodes' | 'ledgerAccounts' | 'postings' | 'shows' | 'reservations' | 'confirmations' | 'providers' | 'menus' | 'orders' | 'cancellations', Tally>;
  closedDay: { date: string; payouts: number; total: number } | null;
  reservations: Array<{ reservationId: string; show: string; seats: string[]; status: string }>;
  orders: Array<{ orderId: string; status: string; deliveryAddress: string }>;
  /** Things the seed could not do on this database (someone else's data in the way), one line each. */
  notes: string[];
}

const tally = (): Tally => ({ created: 0, existing: 0 });

function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Fills the platform through its public HTTP API (API.md), as an admin, a manager, an accountant,
 * workers and customers would, each with their own token. Every step first reads what is there
 * (by email, jira id, code, title, name, delivery address, or a derived trace key or
 * `Idempotency-Key`) and makes only what is missing, so a second run writes nothing.
 */
export async function seedDemo(
  baseUrl: string,
  admin: { email: string; beak: Beak } = DEMO_ADMIN,
  progress: (line: string) => void = () => undefined,
  /** Whether the demo admin was just made (before this, by the caller), so it counts as created; null when it is not the caller's to make. */
  adminCreated: boolean | null = null,
): Promise<SeedReport> {
  const api = new ApiClient(baseUrl);
  const summary = Object.fromEntries(
    ['users', 'tasks', 'completions', 'closedDays', 'eventCodes', 'ledgerAccounts', 'postings', 'shows', 'reservations', 'confirmations', 'providers', 'menus', 'orders', 'cancellations'].map((k) => [k, tally()]),
  ) as SeedReport['summary'];
  const notes: string[] = [];
  const login = async (email: string, beak: Beak): Promise<{ token: string; userId: string }> => {
    const { body } = await api.request('POST', '/auth/login', { body: { email, beak } });
    return { token: body.accessToken, userId: body.userId };
  };

  // Users: the admin first (made before this runs), then every other role.
  let adminToken: string;
  try {
    adminToken = (await login(admin.email, admin.beak)).token;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      throw new Error(
        `cannot log in as the admin ${admin.email}: start the server with BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_BEAK, or pass --admin-email and --admin-beak of an admin it has`,
      );
    }
    throw error;
  }
  progress('users');
  const known = new Map<string, { userId: string; role: string }>(
    (await api.get<Array<{ userId: string; email: string; role: string }>>('/users', adminToken)).map((u) => [u.email.toLowerCase(), u]),
  );
  for (const user of DEMO_USERS) {
    if (known.has(user.email)) {
      // The demo admin made by the caller just before is this run's too.
      if (user === DEMO_ADMIN && adminCreated) summary.users.created++;
      else summary.users.existing++;
      continue;
    }
    const { body } = await api.request('POST', '/auth/users', { token: adminToken, body: { name: user.name, email: user.email, beak: user.beak, role: user.role } });
    known.set(user.email, { userId: body.userId, role: user.role });
    summary.users.created++;
  }
  const sessions = new Map<string, { token: string; userId: string }>();
  for (const user of DEMO_USERS) sessions.set(user.key, user === DEMO_ADMIN && admin === DEMO_ADMIN ? { token: adminToken, userId: known.get(user.email)!.userId } : await login(user.email, user.beak));
  const token = (key: string) => sessions.get(key)!.token;
  const users = DEMO_USERS.map((u: DemoUser) => ({ role: u.role, name: u.name, email: u.email, beak: u.beak, userId: known.get(u.email)!.userId }));

  // Tasks, some completed by their assignees, then the day closed, then two more for the next day.
  progress('tasks');
  type Task = { taskId: string; jiraId: string | null; status: string; assigneeId: string; createdAt: string };
  const tasks = new Map<string, Task>();
  for (const task of await api.all<Task>('/tasks', adminToken)) if (task.jiraId?.startsWith('DEMO-')) tasks.set(task.jiraId, task);
  const createTasks = async (afterClose: boolean) => {
    for (const task of DEMO_TASKS.filter((t) => !!t.afterClose === afterClose)) {
      if (tasks.has(task.jiraId)) {
        summary.tasks.existing++;
        continue;
      }
      const { body } = await api.request('POST', '/tasks', { token: token('manager'), body: { title: task.title, jiraId: task.jiraId, description: task.description } });
      tasks.set(task.jiraId, await api.get<Task>(`/tasks/${body.taskId}`, adminToken));
      summary.tasks.created++;
    }
  };
  await createTasks(false);
  const workerByUserId = new Map(DEMO_USERS.filter((u) => u.role === 'worker').map((u) => [known.get(u.email)!.userId, u.key]));
  for (const task of DEMO_TASKS.filter((t) => t.complete)) {
    const current = tasks.get(task.jiraId)!;
    if (current.status === 'completed') {
      summary.completions.existing++;
      continue;
    }
    const assignee = workerByUserId.get(current.assigneeId);
    if (!assignee) {
      notes.push(`${task.jiraId} is assigned to a worker who is not a demo user: left open`);
      continue;
    }
    await api.request('POST', `/tasks/${current.taskId}/complete`, { token: token(assignee) });
    summary.completions.created++;
  }
  // The day the demo's tasks were made on: closed once (days close in order, so a later open day means it is closed).
  progress('billing day');
  const day = utcDate(new Date(tasks.get(DEMO_TASKS[0].jiraId)!.createdAt));
  const openDay = (await api.get<{ date: string }>('/accounting/me', token('worker1'))).date;
  let closedDay: SeedReport['closedDay'] = null;
  if (openDay > day) summary.closedDays.existing++;
  else {
    const { body } = await api.request('POST', '/accounting/billing-cycles/close', { token: adminToken, body: { date: day } });
    closedDay = { date: body.date, payouts: body.payouts, total: body.total };
    summary.closedDays.created++;
  }
  await createTasks(true);

  // Ledger: event codes, accounts, and postings over the last days.
  progress('ledger');
  const codes = new Set((await api.get<Array<{ code: number }>>('/ledger/event-codes', adminToken)).map((c) => c.code));
  for (const code of DEMO_EVENT_CODES) {
    if (codes.has(code.code)) summary.eventCodes.existing++;
    else {
      await api.request('POST', '/ledger/event-codes', { token: adminToken, body: { ...code, active: true } });
      summary.eventCodes.created++;
    }
  }
  const accounts = new Set((await api.all<{ account: string }>(`/ledger/accounts?branch=${DEMO_BRANCH}`, token('accountant'))).map((a) => a.account));
  for (const account of DEMO_LEDGER_ACCOUNTS) {
    if (accounts.has(account.account)) summary.ledgerAccounts.existing++;
    else {
      await api.request('POST', '/ledger/accounts', { token: token('accountant'), body: { branch: DEMO_BRANCH, ...account } });
      summary.ledgerAccounts.created++;
    }
  }
  const today = new Date();
  const posting = (p: (typeof DEMO_POSTINGS)[number], daysAgo: number) => ({
    traceKey: uuidV5(`demo-seed posting ${p.key}`),
    branch: DEMO_BRANCH,
    account: p.account,
    amount: p.amount,
    debitCredit: p.debitCredit,
    eventCode: p.eventCode,
    description: p.description,
    dateRef: utcDate(new Date(today.getTime() - daysAgo * 86_400_000)),
    details: { source: 'demo:seed' },
  });
  const batch = async (items: ReturnType<typeof posting>[]) =>
    (await api.request<{ results: Array<{ index: number; status: number; error?: { code: string } }> }>('POST', '/ledger/postings/batch', { token: token('accountant'), body: { items } })).body.results;
  const outOfWindow: number[] = [];
  for (const result of await batch(DEMO_POSTINGS.map((p) => posting(p, p.daysAgo)))) {
    if (result.status === 201) summary.postings.created++;
    // A repeat (200), or the same trace key with another dateRef (409: a run on another day): posted already.
    else if (result.status === 200 || result.error?.code === 'LEDGER_TRACE_KEY_CONFLICT') summary.postings.existing++;
    else if (result.error?.code === 'LEDGER_DATEREF_OUT_OF_WINDOW') outOfWindow.push(result.index);
    else notes.push(`posting ${DEMO_POSTINGS[result.index].key}: ${result.status} ${result.error?.code ?? ''}`.trim());
  }
  // LEDGER_RETROACTIVE_DAYS smaller than the demo's few days back: those postings are dated today.
  if (outOfWindow.length > 0) {
    for (const result of await batch(outOfWindow.map((i) => posting(DEMO_POSTINGS[i], 0)))) {
      if (result.status === 201) summary.postings.created++;
      else if (result.status === 200 || result.error?.code === 'LEDGER_TRACE_KEY_CONFLICT') summary.postings.existing++;
      else notes.push(`posting ${DEMO_POSTINGS[outOfWindow[result.index]].key}: ${result.status} ${result.error?.code ?? ''}`.trim());
    }
  }

  // Ticketing: shows, and reservations held and confirmed.
  progress('ticketing');
  const shows = new Map<string, string>();
  for (const show of await api.all<{ showId: string; title: string }>('/ticketing/shows', adminToken)) shows.set(show.title, show.showId);
  const startOfToday = Date.parse(`${utcDate(today)}T19:30:00Z`);
  for (const show of DEMO_SHOWS) {
    if (shows.has(show.title)) {
      summary.shows.existing++;
      continue;
    }
    const startsAt = new Date(startOfToday + show.daysAhead * 86_400_000).toISOString().replace('.000Z', 'Z');
    const { body } = await api.request('POST', '/ticketing/shows', {
      token: token('manager'),
      body: { title: show.title, venue: show.venue, startsAt, holdSeconds: 3600, sections: show.sections },
    });
    shows.set(show.title, body.showId);
    summary.shows.created++;
  }
  const showIdOf = (key: string) => shows.get(DEMO_SHOWS.find((s) => s.key === key)!.title)!;
  type Reservation = { reservationId: string; showId: string; seats: string[]; status: string; customer: unknown };
  const mine = new Map<string, Reservation[]>();
  for (const customer of ['customer1', 'customer2']) {
    const reservations = await api.all<Reservation>('/ticketing/reservations/mine', token(customer));
    mine.set(customer, reservations);
    // The name on their tickets, set once (it is stored encrypted, as an event each time it is set).
    if (!reservations.some((r) => r.customer !== null)) {
      const user = DEMO_USERS.find((u) => u.key === customer)!;
      await api.request('PUT', '/ticketing/customers/me', { token: token(customer), body: { fullName: user.name, email: user.email } });
    }
  }
  const reservations: SeedReport['reservations'] = [];
  for (const wanted of DEMO_RESERVATIONS) {
    const showId = showIdOf(wanted.show);
    const sameSeats = (r: Reservation) => r.showId === showId && [...r.seats].sort().join() === [...wanted.seats].sort().join();
    let reservation = mine.get(wanted.customer)!.find(sameSeats);
    if (reservation) summary.reservations.existing++;
    else {
      try {
        reservation = (
          await api.request<Reservation>('POST', `/ticketing/shows/${showId}/reservations`, {
            token: token(wanted.customer),
            headers: { 'Idempotency-Key': `demo-seed-reservation-${wanted.key}` },
            body: { seats: wanted.seats },
          })
        ).body;
        summary.reservations.created++;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 409)) throw error;
        notes.push(`reservation ${wanted.key} (${wanted.seats.join(', ')}): ${error.code}: those seats are someone else's`);
        continue;
      }
    }
    if (wanted.confirm && reservation.status === 'held') {
      try {
        reservation = (
          await api.request<Reservation>('POST', `/ticketing/reservations/${reservation.reservationId}/confirm`, {
            token: token(wanted.customer),
            headers: { 'Idempotency-Key': `demo-seed-confirm-${wanted.key}` },
            body: { paymentToken: 'tok_demo' },
          })
        ).body;
        summary.confirmations.created++;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 409)) throw error;
        notes.push(`reservation ${wanted.key} could not be confirmed: ${error.code}`);
      }
    } else if (wanted.confirm) summary.confirmations.existing++;
    reservations.push({ reservationId: reservation.reservationId, show: wanted.show, seats: [...wanted.seats], status: reservation.status });
  }

  // Orders: simulated providers with menus, and orders that their simulations move to several statuses.
  progress('orders');
  type Provider = { providerId: string; name: string; menu: Array<{ sku: string; name: string; price: string }> };
  const providers = new Map<string, Provider>();
  for (const provider of await api.get<Provider[]>('/orders/providers', adminToken)) if (!providers.has(provider.name)) providers.set(provider.name, provider);
  const providerIds = new Map<string, string>();
  for (const provider of DEMO_PROVIDERS) {
    let existing = providers.get(provider.name);
    if (existing) summary.providers.existing++;
    else {
      const { body } = await api.request('POST', '/orders/providers', {
        token: adminToken,
        // A simulated provider never calls back; the secret only has to exist.
        body: { name: provider.name, adapter: 'simulated', secret: randomBytes(24).toString('hex'), acceptTimeoutSeconds: provider.acceptTimeoutSeconds, simulation: provider.simulation },
      });
      existing = { providerId: body.providerId, name: provider.name, menu: [] };
      summary.providers.created++;
    }
    providerIds.set(provider.key, existing.providerId);
    const menu = (items: ReadonlyArray<{ sku: string; name: string; price: string }>) => JSON.stringify(items.map(({ sku, name, price }) => [sku, name, price]));
    if (menu(existing.menu) === menu(provider.menu)) summary.menus.existing++;
    else {
      await api.request('PUT', `/orders/providers/${existing.providerId}/menu`, { token: adminToken, body: { items: provider.menu } });
      summary.menus.created++;
    }
  }
  type Order = { orderId: string; status: string; deliveryAddress: string };
  const ordersOf = new Map<string, Order[]>();
  for (const customer of ['customer1', 'customer2']) ordersOf.set(customer, await api.all<Order>('/orders/mine', token(customer)));
  const placed: Array<{ wanted: (typeof DEMO_ORDERS)[number]; orderId: string }> = [];
  for (const wanted of DEMO_ORDERS) {
    let order = ordersOf.get(wanted.customer)!.find((o) => o.deliveryAddress === wanted.address);
    if (order) summary.orders.existing++;
    else {
      const items = wanted.items.map((item) => ({ providerId: providerIds.get(item.provider)!, sku: item.sku, quantity: item.quantity }));
      order = (
        await api.request<Order>('POST', '/orders', {
          token: token(wanted.customer),
          headers: { 'Idempotency-Key': `demo-seed-order-${wanted.key}` },
          body: { items, deliveryAddress: wanted.address },
        })
      ).body;
      summary.orders.created++;
    }
    if (wanted.cancel) {
      if (order.status === 'cancelling' || order.status === 'cancelled') summary.cancellations.existing++;
      else {
        await api.request('POST', `/orders/${order.orderId}/cancel`, { token: token(wanted.customer) });
        summary.cancellations.created++;
      }
    }
    placed.push({ wanted, orderId: order.orderId });
  }
  // The simulated providers move the orders on in the worker: a few seconds for the fast ones.
  progress('waiting for the providers');
  let orders: SeedReport['orders'] = [];
  const deadline = Date.now() + 20_000;
  for (;;) {
    orders = [];
    for (const { orderId } of placed) {
      const order = await api.get<Order>(`/orders/${orderId}`, adminToken);
      orders.push({ orderId, status: order.status, deliveryAddress: order.deliveryAddress });
    }
    if (placed.every(({ wanted }, i) => orders[i].status === wanted.expect) || Date.now() > deadline) break;
    await sleep(250);
  }
  placed.forEach(({ wanted }, i) => {
    if (orders[i].status !== wanted.expect) notes.push(`order ${wanted.key} is ${orders[i].status} (it becomes ${wanted.expect} once a worker has moved it on)`);
  });

  const changed = Object.values(summary).some((t) => t.created > 0);
  return { changed, users, summary, closedDay, reservations, orders, notes };
}
