import { EVENT_TYPE, STREAM_NAME } from '@eventstore/db-client';
import { eventMatcher, exactMatchRegex, isSystemEvent, subscriptionFilter } from './filters';

/** Whether a regex filter the server would apply (in .NET syntax, which agrees with JavaScript here) lets a value through. */
function serverMatches(filter: ReturnType<typeof subscriptionFilter>, value: string): boolean {
  if ('prefixes' in filter) return filter.prefixes.some((prefix) => value.startsWith(prefix));
  return new RegExp(filter.regex).test(value);
}

describe('EventStoreDB filters', () => {
  it('treat $-typed events and $-named streams as the server’s own', () => {
    expect(isSystemEvent('$metadata', '$$orders-1')).toBe(true);
    expect(isSystemEvent('$>', '$ce-orders')).toBe(true);
    expect(isSystemEvent('Imported', '$projections-x')).toBe(true);
    expect(isSystemEvent('OrderPlaced', 'orders-1')).toBe(false);
    expect(isSystemEvent('Order$Placed', 'orders-$1')).toBe(false);
  });

  describe('eventMatcher', () => {
    it('without a filter keeps every event of ours and none of the server’s', () => {
      const accept = eventMatcher(undefined);
      expect(accept('OrderPlaced', 'orders-1')).toBe(true);
      expect(accept('$statsCollected', '$stats-127.0.0.1:2113')).toBe(false);
      expect(accept('OrderPlaced', '$ce-orders')).toBe(false);
    });

    it('matches event types exactly, not by prefix', () => {
      const accept = eventMatcher({ eventTypes: ['OrderPlaced', 'OrderShipped'] });
      expect(accept('OrderPlaced', 'orders-1')).toBe(true);
      expect(accept('OrderShipped', 'orders-1')).toBe(true);
      expect(accept('OrderPlacedV2', 'orders-1')).toBe(false);
      expect(accept('Order', 'orders-1')).toBe(false);
    });

    it('matches stream names by prefix', () => {
      const accept = eventMatcher({ streamNamePrefixes: ['orders-', 'carts-'] });
      expect(accept('Any', 'orders-1')).toBe(true);
      expect(accept('Any', 'carts-9')).toBe(true);
      expect(accept('Any', 'xorders-1')).toBe(false);
    });

    it('needs both when both are given, and still drops system events', () => {
      const accept = eventMatcher({ eventTypes: ['A', '$metadata'], streamNamePrefixes: ['c1-', '$$c1-'] });
      expect(accept('A', 'c1-x')).toBe(true);
      expect(accept('B', 'c1-x')).toBe(false);
      expect(accept('A', 'c2-x')).toBe(false);
      expect(accept('$metadata', '$$c1-x')).toBe(false);
    });

    it('matches nothing for empty lists, as the PostgreSQL adapter does', () => {
      expect(eventMatcher({ eventTypes: [] })('A', 's')).toBe(false);
      expect(eventMatcher({ streamNamePrefixes: [] })('A', 's')).toBe(false);
    });
  });

  describe('subscriptionFilter', () => {
    it('filters on stream-name prefixes when there are any, server-side', () => {
      const filter = subscriptionFilter({ eventTypes: ['A'], streamNamePrefixes: ['c1-', 'c2-'] });
      expect(filter).toMatchObject({ filterOn: STREAM_NAME, prefixes: ['c1-', 'c2-'] });
    });

    it('otherwise filters on event types with an anchored regex that matches them exactly', () => {
      const filter = subscriptionFilter({ eventTypes: ['OrderPlaced', 'Order.Shipped'] });
      expect(filter).toMatchObject({ filterOn: EVENT_TYPE });
      expect(serverMatches(filter, 'OrderPlaced')).toBe(true);
      expect(serverMatches(filter, 'Order.Shipped')).toBe(true);
      expect(serverMatches(filter, 'OrderPlacedV2')).toBe(false);
      expect(serverMatches(filter, 'XOrderPlaced')).toBe(false);
      expect(serverMatches(filter, 'OrderXShipped')).toBe(false);
      expect(serverMatches(filter, '$metadata')).toBe(false);
    });

    it('otherwise excludes the server’s own events', () => {
      for (const filter of [subscriptionFilter(undefined), subscriptionFilter({}), subscriptionFilter({ eventTypes: [], streamNamePrefixes: [] })]) {
        expect(filter).toMatchObject({ filterOn: EVENT_TYPE });
        expect(serverMatches(filter, 'OrderPlaced')).toBe(true);
        expect(serverMatches(filter, '$statsCollected')).toBe(false);
        expect(serverMatches(filter, '$>')).toBe(false);
      }
    });
  });

  it('escapes every regex metacharacter in event types', () => {
    const types = ['a+b', '(x)', '[y]', 'p|q', 'c.d', 'e*', '^f$', 'g?', 'h{2}', 'back\\slash'];
    const regex = new RegExp(exactMatchRegex(types));
    for (const type of types) expect(regex.test(type)).toBe(true);
    for (const other of ['aab', 'x', 'y', 'p', 'q', 'cxd', 'eee', 'f', 'g', 'hh', 'backslash']) expect(regex.test(other)).toBe(false);
  });
});
