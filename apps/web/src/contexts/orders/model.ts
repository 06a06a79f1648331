import { useSyncExternalStore } from 'react';
import { newUuid } from '../../ids';
import { cents } from '../../money';
import { useMe } from '../../session';

/** Delibery's shapes, as the API answers them (API.md "Orders (Delibery)"). */
export interface MenuItem {
  sku: string;
  name: string;
  price: string;
}

export interface Provider {
  providerId: string;
  name: string;
  adapter: 'simulated' | 'http';
  menu: MenuItem[];
}

export interface SubOrder {
  subOrderId: string;
  providerId: string;
  providerName: string;
  status: string;
  providerRef: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

export interface HistoryEntry {
  at: string;
  status: string;
  subOrderId?: string;
  ignored?: true;
}

export interface OrderItem {
  providerId: string;
  sku: string;
  name: string;
  price: string;
  quantity: number;
}

export interface Order {
  orderId: string;
  customerId: string;
  status: string;
  total: string;
  deliveryAddress: string;
  items: OrderItem[];
  subOrders: SubOrder[];
  history: HistoryEntry[];
  createdAt: string;
  position: string;
}

export const ORDER_STATUSES = ['placed', 'confirmed', 'preparing', 'ready', 'delivering', 'delivered', 'cancelling', 'cancelled'] as const;

/** Statuses in which a cancel can still work (once a sub-order is picked up the API refuses it). */
export const CANCELLABLE = new Set(['placed', 'confirmed', 'preparing', 'ready']);

/** One line of the cart: what was added, with the menu's name and price at the time. */
export interface CartLine {
  providerId: string;
  providerName: string;
  sku: string;
  name: string;
  price: string;
  quantity: number;
}

export interface Cart {
  /** Whose cart it is: another user logging in in the same tab starts with an empty one. */
  owner?: string;
  lines: CartLine[];
  deliveryAddress: string;
  /** The Idempotency-Key of the last "Place order" and the body it was sent with: a retry of the same cart sends the same key. */
  attempt?: { key: string; body: string };
}

export const MAX_QUANTITY = 100;
const CART_KEY = 'popug.orders.cart';
const EMPTY: Cart = { lines: [], deliveryAddress: '' };
const listeners = new Set<() => void>();
let cached: { raw: string | null; owner: string; cart: Cart } | null = null;
/** The logged-in user, set by useCart. */
let owner = '';

function read(): Cart {
  const raw = sessionStorage.getItem(CART_KEY);
  if (cached && cached.raw === raw && cached.owner === owner) return cached.cart;
  let cart = EMPTY;
  try {
    if (raw) cart = { ...EMPTY, ...(JSON.parse(raw) as Cart) };
  } catch {
    cart = EMPTY;
  }
  if (cart.owner !== owner) cart = EMPTY;
  cached = { raw, owner, cart };
  return cart;
}

function write(cart: Cart): void {
  sessionStorage.setItem(CART_KEY, JSON.stringify({ ...cart, owner }));
  for (const listener of listeners) listener();
}

/** The cart, kept in sessionStorage (this tab, across pages and reloads), shared by every page. */
export const cartStore = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get: read,
  add(line: CartLine): void {
    const cart = read();
    const same = cart.lines.find((existing) => existing.providerId === line.providerId && existing.sku === line.sku);
    const lines = same
      ? cart.lines.map((existing) => (existing === same ? { ...existing, name: line.name, price: line.price, quantity: Math.min(MAX_QUANTITY, existing.quantity + line.quantity) } : existing))
      : [...cart.lines, line];
    write({ ...cart, lines });
  },
  setQuantity(providerId: string, sku: string, quantity: number): void {
    const cart = read();
    write({ ...cart, lines: cart.lines.map((line) => (line.providerId === providerId && line.sku === sku ? { ...line, quantity } : line)) });
  },
  remove(providerId: string, sku: string): void {
    const cart = read();
    write({ ...cart, lines: cart.lines.filter((line) => !(line.providerId === providerId && line.sku === sku)) });
  },
  setAddress(deliveryAddress: string): void {
    write({ ...read(), deliveryAddress });
  },
  /** The key for placing this body: the last one again when the body is the same (a retry), a new one otherwise. */
  keyFor(body: string): string {
    const cart = read();
    if (cart.attempt?.body === body) return cart.attempt.key;
    const key = newUuid();
    write({ ...cart, attempt: { key, body } });
    return key;
  },
  clear(): void {
    write(EMPTY);
  },
};

export function useCart(): Cart {
  owner = useMe().userId;
  return useSyncExternalStore(cartStore.subscribe, cartStore.get);
}

/** The sum of quantity × price over lines, in cents (lines whose price is not a decimal string count 0). */
export function totalCents(lines: readonly { price: string; quantity: number }[]): number {
  return lines.reduce((sum, line) => sum + (cents(line.price) ?? 0) * line.quantity, 0);
}

/** Lines grouped by restaurant, in the order restaurants were first added. */
export function byRestaurant<T extends { providerId: string }>(lines: readonly T[]): { providerId: string; lines: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const line of lines) groups.set(line.providerId, [...(groups.get(line.providerId) ?? []), line]);
  return [...groups].map(([providerId, grouped]) => ({ providerId, lines: grouped }));
}
