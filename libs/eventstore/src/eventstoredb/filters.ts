import { eventTypeFilter, excludeSystemEvents, type Filter, streamNameFilter } from '@eventstore/db-client';
import type { EventFilter } from '../event-store';

/**
 * EventStoreDB keeps its own bookkeeping in `$all`: events whose type starts with `$` (stream
 * metadata, link events, projection and scavenge records) and streams whose name does.
 * The port has no such events, so the adapter never returns them.
 */
export function isSystemEvent(type: string, streamName: string): boolean {
  return type.startsWith('$') || streamName.startsWith('$');
}

/**
 * The filter as a predicate, applied to everything read from the server: reads of `$all` have
 * no server-side filter in this client, and a subscription's server-side filter covers one
 * dimension only. Types match exactly; stream names by prefix; system events never match.
 */
export function eventMatcher(filter: EventFilter | undefined): (type: string, streamName: string) => boolean {
  const types = filter?.eventTypes ? new Set(filter.eventTypes) : null;
  const prefixes = filter?.streamNamePrefixes ?? null;
  return (type, streamName) =>
    !isSystemEvent(type, streamName) &&
    (types === null || types.has(type)) &&
    (prefixes === null || prefixes.some((prefix) => streamName.startsWith(prefix)));
}

/**
 * The server-side filter for a subscription, so that the server does not send what we would drop.
 * The server filters on stream name or on event type, not both: stream prefixes win when given
 * (they are usually the narrower), and `eventMatcher` applies the rest. Event types become an
 * anchored regular expression rather than the client's prefix filter, because the port matches
 * types exactly (`OrderPlaced` must not let `OrderPlacedV2` through).
 */
export function subscriptionFilter(filter: EventFilter | undefined): Filter {
  if (filter?.streamNamePrefixes && filter.streamNamePrefixes.length > 0) {
    return streamNameFilter({ prefixes: [...filter.streamNamePrefixes] });
  }
  if (filter?.eventTypes && filter.eventTypes.length > 0) {
    return eventTypeFilter({ regex: exactMatchRegex(filter.eventTypes) });
  }
  return excludeSystemEvents();
}

/** A regular expression (.NET syntax, which agrees with JavaScript's here) matching exactly these strings. */
export function exactMatchRegex(values: readonly string[]): string {
  return `^(?:${values.map(escapeRegex).join('|')})$`;
}

function escapeRegex(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}
