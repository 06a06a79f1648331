import type { EventData } from './event-store';

/**
 * An event that no store could keep faithfully: its data or metadata (or its type or stream name)
 * holds NUL, which PostgreSQL's text and jsonb refuse, or a lone surrogate, which is no Unicode and
 * would be stored as something else. Refused at append, so the command fails and nothing is
 * written; never accepted and left for a projection to halt on.
 */
export class UnstorableEventError extends Error {
  override readonly name = 'UnstorableEventError';

  constructor(
    readonly streamName: string,
    readonly eventType: string,
    readonly part: 'data' | 'metadata' | 'type' | 'streamName',
  ) {
    super(`Event ${eventType} for stream "${streamName}" cannot be stored: its ${part} holds NUL or a lone surrogate`);
  }
}

// JSON.stringify writes NUL and lone surrogates (only those: paired ones stay literal) as \u escapes.
// An escape is one when an odd number of backslashes comes before the `u`.
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether the JSON text that `JSON.stringify` made holds a string no store can keep. */
export function isStorableJson(json: string): boolean {
  return !UNSTORABLE_ESCAPE.test(json);
}

/** Checks one event as it is about to be appended, from the JSON text already serialised for it. */
export function assertStorable(streamName: string, event: EventData, dataJson: string, metadataJson: string): void {
  if (UNSTORABLE_TEXT.test(streamName)) throw new UnstorableEventError(streamName, event.type, 'streamName');
  if (UNSTORABLE_TEXT.test(event.type)) throw new UnstorableEventError(streamName, event.type, 'type');
  if (!isStorableJson(dataJson)) throw new UnstorableEventError(streamName, event.type, 'data');
  if (!isStorableJson(metadataJson)) throw new UnstorableEventError(streamName, event.type, 'metadata');
}
