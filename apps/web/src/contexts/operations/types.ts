/** What the operations endpoints answer (/work/shared/API.md, "Operations"). */

export interface ProjectionReport {
  name: string;
  version: number;
  status: 'running' | 'catching_up' | 'rebuilding' | 'halted';
  position: string | null;
  lagEvents: number;
  lagSeconds: number;
  lastError: string | null;
  rebuild: { version: number; position: string | null } | null;
}

export interface ProcessManagerReport {
  name: string;
  status: 'running' | 'retrying' | 'catching_up';
  position: string | null;
  lagEvents: number;
  lagSeconds: number;
  attempts: number;
  lastError: string | null;
  failingEvent: { eventId: string; type: string; position: string; skipRequested: boolean } | null;
}

export interface StoredEvent {
  eventId: string;
  type: string;
  streamName: string;
  revision: number;
  position: string;
  recordedAt: string;
  data: unknown;
  metadata: {
    correlationId: string | null;
    causationId: string | null;
    userId: string | null;
    traceKey: string | null;
    schemaVersion: number | null;
    [key: string]: unknown;
  };
}

export interface EventWithCauses extends StoredEvent {
  causedEvents: { eventId: string; type: string; streamName: string }[];
}

/** The app's address of an event's page and of a stream's page. */
export const eventPath = (eventId: string) => `/operations/events/${encodeURIComponent(eventId)}`;
export const streamPath = (streamName: string) => `/operations/streams/${encodeURIComponent(streamName)}`;
