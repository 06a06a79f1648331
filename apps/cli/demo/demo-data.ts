/**
 * What `demo:seed` puts in: fixed names, emails, beaks, keys and titles, so that a second run
 * recognises everything a first one made (and makes only what is missing). Times (task creation,
 * acceptance, completion…), ids and random draws (assignees, prices) are the platform's own,
 * made by its command handlers and recorded in its events.
 */

export type Role = 'admin' | 'manager' | 'accountant' | 'worker' | 'customer';

export interface Beak {
  length: number;
  depth: number;
  width: number;
  curvature: number;
}

export interface DemoUser {
  key: string;
  role: Role;
  name: string;
  email: string;
  beak: Beak;
}

const beak = (length: number, depth: number, width: number, curvature: number): Beak => ({ length, depth, width, curvature });

/** The admin logs the others in; `demo:seed` without `--url` creates it as `BOOTSTRAP_ADMIN_*` would. */
export const DEMO_ADMIN: DemoUser = { key: 'admin', role: 'admin', name: 'Ada Admin', email: 'ada.admin@demo.popug.example', beak: beak(4.2, 1.5, 1.1, 0.3) };

export const DEMO_USERS: readonly DemoUser[] = [
  DEMO_ADMIN,
  { key: 'manager', role: 'manager', name: 'Max Manager', email: 'max.manager@demo.popug.example', beak: beak(5.1, 1.8, 1.2, 0.4) },
  { key: 'accountant', role: 'accountant', name: 'Alma Accountant', email: 'alma.accountant@demo.popug.example', beak: beak(3.9, 1.4, 1, 0.2) },
  { key: 'worker1', role: 'worker', name: 'Wendy Worker', email: 'wendy.worker@demo.popug.example', beak: beak(4.5, 1.6, 1.3, 0.5) },
  { key: 'worker2', role: 'worker', name: 'Walt Worker', email: 'walt.worker@demo.popug.example', beak: beak(4.8, 1.7, 1.4, 0.6) },
  { key: 'worker3', role: 'worker', name: 'Willa Worker', email: 'willa.worker@demo.popug.example', beak: beak(3.6, 1.3, 0.9, 0.7) },
  { key: 'customer1', role: 'customer', name: 'Cleo Customer', email: 'cleo.customer@demo.popug.example', beak: beak(5.4, 2, 1.5, 0.8) },
  { key: 'customer2', role: 'customer', name: 'Cyril Customer', email: 'cyril.customer@demo.popug.example', beak: beak(5.7, 2.1, 1.6, 0.9) },
];

export interface DemoTask {
  jiraId: string;
  title: string;
  description: string;
  /** Completed by its assignee before the day is closed. */
  complete: boolean;
  /** Created after the day is closed: it is charged to the next open day. */
  afterClose?: boolean;
}

export const DEMO_TASKS: readonly DemoTask[] = [
  { jiraId: 'DEMO-1', title: 'Sort the seed delivery', description: 'Sunflower and pumpkin seeds, by size.', complete: true },
  { jiraId: 'DEMO-2', title: 'Polish the perches', description: 'All perches of the north aviary.', complete: true },
  { jiraId: 'DEMO-3', title: 'Count the feathers', description: 'The monthly feather inventory.', complete: true },
  { jiraId: 'DEMO-4', title: 'Refill the water bowls', description: 'Every bowl, fresh water.', complete: true },
  { jiraId: 'DEMO-5', title: 'Test the new cage door', description: 'Open and close it 100 times.\nReport any squeak.', complete: false },
  { jiraId: 'DEMO-6', title: 'Write the nest guide', description: 'A one-page guide for new popugs.', complete: false },
  { jiraId: 'DEMO-7', title: 'Plan the beak check-up', description: 'Book the vet for next week.', complete: false, afterClose: true },
  { jiraId: 'DEMO-8', title: 'Fix the mirror', description: 'The mirror in aviary 3 is loose.', complete: false, afterClose: true },
];

export const DEMO_EVENT_CODES = [
  { code: 1001, description: 'Cash deposit', allowDebit: false, allowCredit: true },
  { code: 2001, description: 'Cash withdrawal', allowDebit: true, allowCredit: false },
  { code: 3001, description: 'Account fee', allowDebit: true, allowCredit: false },
  { code: 4001, description: 'Transfer', allowDebit: true, allowCredit: true },
] as const;

export const DEMO_BRANCH = 'DEMO';

export const DEMO_LEDGER_ACCOUNTS = [
  { account: 'ACC-001', holder: 'Popug Bakery' },
  { account: 'ACC-002', holder: 'Beak & Co' },
  { account: 'ACC-003', holder: 'Jungle Travel' },
] as const;

/** Postings with trace keys derived from `key` (UUID v5), so posting them again is a repeat, never a second posting. */
export const DEMO_POSTINGS: ReadonlyArray<{ key: string; account: string; amount: string; debitCredit: 'D' | 'C'; eventCode: number; description: string; daysAgo: number }> = [
  { key: 'p1', account: 'ACC-001', amount: '1500.00', debitCredit: 'C', eventCode: 1001, description: 'Opening deposit', daysAgo: 3 },
  { key: 'p2', account: 'ACC-001', amount: '120.50', debitCredit: 'D', eventCode: 2001, description: 'Flour', daysAgo: 2 },
  { key: 'p3', account: 'ACC-001', amount: '9.90', debitCredit: 'D', eventCode: 3001, description: 'Monthly fee', daysAgo: 1 },
  { key: 'p4', account: 'ACC-001', amount: '250.00', debitCredit: 'D', eventCode: 4001, description: 'Transfer to ACC-002', daysAgo: 0 },
  { key: 'p5', account: 'ACC-002', amount: '250.00', debitCredit: 'C', eventCode: 4001, description: 'Transfer from ACC-001', daysAgo: 0 },
  { key: 'p6', account: 'ACC-002', amount: '800.00', debitCredit: 'C', eventCode: 1001, description: 'Opening deposit', daysAgo: 3 },
  { key: 'p7', account: 'ACC-002', amount: '75.25', debitCredit: 'D', eventCode: 2001, description: 'Office supplies', daysAgo: 1 },
  { key: 'p8', account: 'ACC-003', amount: '3200.00', debitCredit: 'C', eventCode: 1001, description: 'Opening deposit', daysAgo: 2 },
  { key: 'p9', account: 'ACC-003', amount: '1999.99', debitCredit: 'D', eventCode: 2001, description: 'Tickets to Rio', daysAgo: 1 },
  { key: 'p10', account: 'ACC-003', amount: '9.90', debitCredit: 'D', eventCode: 3001, description: 'Monthly fee', daysAgo: 0 },
];

export const DEMO_SHOWS = [
  {
    key: 'philharmonic',
    title: 'Demo: Popug Philharmonic',
    venue: 'Jungle Hall',
    daysAhead: 30,
    sections: [
      { name: 'A', price: '49.90', rows: [{ name: '1', seats: 10 }, { name: '2', seats: 10 }, { name: '3', seats: 10 }] },
      { name: 'B', price: '29.00', rows: [{ name: '1', seats: 12 }, { name: '2', seats: 12 }] },
    ],
  },
  {
    key: 'jazz',
    title: 'Demo: Jungle Jazz Night',
    venue: 'Canopy Club',
    daysAhead: 45,
    sections: [{ name: 'M', price: '35.00', rows: [{ name: '1', seats: 8 }, { name: '2', seats: 8 }] }],
  },
] as const;

/** Reservations: a confirmed one is paid with the simulated provider's accepting token. */
export const DEMO_RESERVATIONS = [
  { key: 'r1', show: 'philharmonic', customer: 'customer1', seats: ['A-1-5', 'A-1-6'], confirm: true },
  { key: 'r2', show: 'philharmonic', customer: 'customer2', seats: ['A-2-1', 'A-2-2', 'A-2-3'], confirm: false },
  { key: 'r3', show: 'jazz', customer: 'customer2', seats: ['M-1-4', 'M-1-5'], confirm: true },
  { key: 'r4', show: 'jazz', customer: 'customer1', seats: ['M-2-1'], confirm: false },
] as const;

/**
 * Simulated providers (they run in the worker): one fast, one that stays preparing for an hour,
 * one that takes an hour to accept, one that rejects everything.
 */
export const DEMO_PROVIDERS = [
  {
    key: 'pizza',
    name: 'Demo Pizza Pinguino',
    simulation: { acceptAfterMs: 200, stepMs: 300 },
    acceptTimeoutSeconds: 60,
    menu: [
      { sku: 'margherita', name: 'Pizza Margherita', price: '8.50' },
      { sku: 'funghi', name: 'Pizza Funghi', price: '9.90' },
    ],
  },
  {
    key: 'sushi',
    name: 'Demo Sushi Sakura',
    simulation: { acceptAfterMs: 200, stepMs: 3_600_000 },
    acceptTimeoutSeconds: 60,
    menu: [
      { sku: 'maki', name: 'Salmon maki (8)', price: '7.20' },
      { sku: 'nigiri', name: 'Nigiri set', price: '14.00' },
    ],
  },
  {
    key: 'noodles',
    name: 'Demo Noodle Nest',
    simulation: { acceptAfterMs: 3_600_000, stepMs: 3_600_000 },
    acceptTimeoutSeconds: 86_400,
    menu: [{ sku: 'ramen', name: 'Seed ramen', price: '11.00' }],
  },
  {
    key: 'tacos',
    name: 'Demo Taco Toucan',
    simulation: { acceptAfterMs: 200, stepMs: 300, reject: true },
    acceptTimeoutSeconds: 60,
    menu: [{ sku: 'taco', name: 'Taco al pastor', price: '3.50' }],
  },
] as const;

/**
 * Orders, recognised by their delivery address. `expect`: the status it has once the simulated
 * providers have moved it (the seed waits a few seconds for it); `cancel`: the customer cancels it.
 */
export const DEMO_ORDERS = [
  { key: 'o1', customer: 'customer1', address: 'Demo order 1, Penguin Lane 4, Ice City', items: [{ provider: 'pizza', sku: 'margherita', quantity: 2 }], expect: 'delivered', cancel: false },
  { key: 'o2', customer: 'customer2', address: 'Demo order 2, Parrot Street 7, Jungle Town', items: [{ provider: 'sushi', sku: 'maki', quantity: 3 }], expect: 'confirmed', cancel: false },
  { key: 'o3', customer: 'customer1', address: 'Demo order 3, Penguin Lane 4, Ice City', items: [{ provider: 'noodles', sku: 'ramen', quantity: 1 }], expect: 'placed', cancel: false },
  {
    key: 'o4',
    customer: 'customer2',
    address: 'Demo order 4, Parrot Street 7, Jungle Town',
    items: [
      { provider: 'sushi', sku: 'nigiri', quantity: 1 },
      { provider: 'tacos', sku: 'taco', quantity: 4 },
    ],
    expect: 'cancelled',
    cancel: false,
  },
  { key: 'o5', customer: 'customer1', address: 'Demo order 5, Penguin Lane 4, Ice City', items: [{ provider: 'sushi', sku: 'nigiri', quantity: 1 }], expect: 'cancelled', cancel: true },
] as const;
