import { useQuery } from '@tanstack/react-query';
import { type CSSProperties, useState } from 'react';
import { api, type Page as ApiPage } from '../../api';
import type { PageProps } from '../../pages';
import { href, Link, navigate } from '../../router';
import { Button, Field, Form, formatInstant, Loaded, Page, Pager, Section, Select, Table, usePager } from '../../ui';
import { eventPath, type EventWithCauses, type StoredEvent, streamPath } from './types';

const PAGE_SIZE = 50;
/** Long ids and JSON wrap rather than push the page sideways on a phone. */
const WRAP: CSSProperties = { overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' };
const DIRECTIONS = [
  ['backwards', 'Newest first (backwards)'],
  ['forwards', 'Oldest first (forwards)'],
] as const;
type Direction = (typeof DIRECTIONS)[number][0];

function Code({ children }: { children: string }) {
  return <code style={WRAP}>{children}</code>;
}

/** Pretty JSON in a block that wraps. */
function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre aria-label={label} style={WRAP}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** Opens any stream by its name. */
function StreamForm({ initial = '', direction: initialDirection = 'backwards' }: { initial?: string; direction?: Direction }) {
  const [name, setName] = useState(initial);
  const [direction, setDirection] = useState<Direction>(initialDirection);
  return (
    <Form label="Open a stream" onSubmit={() => name.trim() && navigate(href(streamPath(name.trim()), { direction }))}>
      <div className="row">
        <Field label="Stream name" value={name} onChange={(event) => setName(event.target.value)} required maxLength={500} placeholder="task-…" hint="For example task-<taskId> or account-<userId>-<date>" />
        <Select label="Order" options={DIRECTIONS} value={direction} onChange={(event) => setDirection(event.target.value as Direction)} />
      </div>
      <Button type="submit">Open stream</Button>
    </Form>
  );
}

const eventColumns = (showStream: boolean) => [
  { header: 'Recorded at', cell: (event: StoredEvent) => formatInstant(event.recordedAt) },
  { header: 'Type', cell: (event: StoredEvent) => <Link to={eventPath(event.eventId)}>{event.type}</Link> },
  ...(showStream ? [{ header: 'Stream', cell: (event: StoredEvent) => <Link to={streamPath(event.streamName)}>{event.streamName}</Link> }] : []),
  { header: 'Revision', cell: (event: StoredEvent) => event.revision, numeric: true },
  { header: 'Position', cell: (event: StoredEvent) => <code>{event.position}</code> },
];

export function EventLogPage({ query }: PageProps) {
  const type = query.get('type') ?? '';
  const [typeInput, setTypeInput] = useState(type);
  const pager = usePager([type]);
  const events = useQuery({
    queryKey: ['operations', 'events', type, pager.cursor],
    queryFn: () => api.get<ApiPage<StoredEvent>>('/events', { type: type || undefined, before: pager.cursor, limit: PAGE_SIZE }),
  });
  return (
    <Page title="Event log">
      <Section title="Filter">
        <Form label="Filter the log" onSubmit={() => navigate(href('/operations/events', { type: typeInput.trim() || undefined }))}>
          <Field label="Event type" value={typeInput} onChange={(event) => setTypeInput(event.target.value)} maxLength={200} placeholder="TaskCreated" hint="Exactly as written, for example TaskCreated; empty for every type" />
          <div className="row">
            <Button type="submit">Show</Button>
            {type && (
              <a href="#/operations/events" onClick={() => setTypeInput('')}>
                Every type
              </a>
            )}
          </div>
        </Form>
      </Section>
      <Section title={type ? `Events of type ${type}, newest first` : 'Every event, newest first'}>
        <Loaded query={events}>
          {(page) => (
            <>
              <Table caption={type ? `Events of type ${type}` : 'The event log'} rows={page.items} rowKey={(event) => event.eventId} columns={eventColumns(true)} empty="No events." />
              <Pager pager={pager} nextCursor={page.nextCursor} />
            </>
          )}
        </Loaded>
      </Section>
      <Section title="Open a stream">
        <StreamForm />
      </Section>
    </Page>
  );
}

export function StreamsPage() {
  return (
    <Page title="Streams">
      <Section title="Open a stream">
        <StreamForm />
      </Section>
    </Page>
  );
}

export function StreamPage({ params, query }: PageProps) {
  const stream = params.stream ?? '';
  const direction: Direction = query.get('direction') === 'forwards' ? 'forwards' : 'backwards';
  const from = query.get('from');
  const fromRevision = from !== null && /^\d+$/.test(from) ? Number(from) : undefined;
  const events = useQuery({
    queryKey: ['operations', 'stream', stream, direction, fromRevision],
    queryFn: () => api.get<{ items: StoredEvent[] }>(`/streams/${encodeURIComponent(stream)}`, { direction, fromRevision, limit: PAGE_SIZE }),
  });
  const at = (revision: number | undefined, order: Direction = direction) => href(streamPath(stream), { direction: order, from: revision === undefined ? undefined : String(revision) });
  return (
    <Page title={`Stream ${stream}`}>
      <Section title={direction === 'backwards' ? 'Newest first' : 'Oldest first'}>
        {/* Plain links: the Link of the router marks every link to this page's path as the current page. */}
        <p className="row">
          <a href={`#${at(undefined, 'backwards')}`}>From the newest</a>
          <a href={`#${at(undefined, 'forwards')}`}>From the first</a>
        </p>
        <Loaded query={events}>
          {({ items }) => {
            const last = items[items.length - 1];
            const next = items.length === PAGE_SIZE && last ? (direction === 'backwards' ? last.revision - 1 : last.revision + 1) : undefined;
            return (
              <>
                <Table caption={`Events of stream ${stream}`} rows={items} rowKey={(event) => event.eventId} columns={eventColumns(false)} empty="No events from this revision on." />
                {next !== undefined && next >= 0 && (
                  <p>
                    <a href={`#${at(next)}`}>{direction === 'backwards' ? 'Older events' : 'Newer events'}</a>
                  </p>
                )}
              </>
            );
          }}
        </Loaded>
      </Section>
      <Section title="Open another stream">
        <StreamForm key={stream} initial={stream} direction={direction} />
      </Section>
    </Page>
  );
}

export function EventPage({ params }: PageProps) {
  const eventId = params.eventId ?? '';
  const event = useQuery({
    queryKey: ['operations', 'event', eventId],
    queryFn: () => api.get<EventWithCauses>(`/events/${encodeURIComponent(eventId)}`),
    // The reactions to it may still be running: their events show up as they are written.
    refetchInterval: 2000,
  });
  return (
    <Page title={event.data ? `Event ${event.data.type}` : 'Event'}>
      <Loaded query={event}>
        {(shown) => {
          const { metadata } = shown;
          return (
            <>
              <Section title="Where and when">
                <dl className="facts">
                  <dt>Type</dt>
                  <dd>{shown.type}</dd>
                  <dt>Event id</dt>
                  <dd>
                    <Code>{shown.eventId}</Code>
                  </dd>
                  <dt>Stream</dt>
                  <dd style={WRAP}>
                    <Link to={streamPath(shown.streamName)}>{shown.streamName}</Link>
                  </dd>
                  <dt>Revision</dt>
                  <dd>{shown.revision}</dd>
                  <dt>Position</dt>
                  <dd>
                    <Code>{shown.position}</Code>
                  </dd>
                  <dt>Recorded at</dt>
                  <dd>{formatInstant(shown.recordedAt)}</dd>
                </dl>
              </Section>
              <Section title="Cause and trace">
                <dl className="facts">
                  <dt>Trace key</dt>
                  <dd data-testid="trace-key">{metadata.traceKey ? <Code>{metadata.traceKey}</Code> : 'none'}</dd>
                  <dt>Correlation id</dt>
                  <dd>{metadata.correlationId ? <Code>{metadata.correlationId}</Code> : 'none'}</dd>
                  <dt>Caused by</dt>
                  <dd>
                    {metadata.causationId ? (
                      <Link to={eventPath(metadata.causationId)} style={WRAP}>
                        the event {metadata.causationId}
                      </Link>
                    ) : (
                      'a request (no causing event)'
                    )}
                  </dd>
                  <dt>User id</dt>
                  <dd>{metadata.userId ? <Code>{metadata.userId}</Code> : 'none'}</dd>
                  <dt>Schema version</dt>
                  <dd>{metadata.schemaVersion ?? 'none'}</dd>
                </dl>
              </Section>
              <Section title="Events caused by this one">
                {shown.causedEvents.length === 0 ? (
                  <p className="empty">None (yet): no process manager has written anything in reaction to it.</p>
                ) : (
                  <ul aria-label="Caused events">
                    {shown.causedEvents.map((caused) => (
                      <li key={caused.eventId} style={WRAP}>
                        <Link to={eventPath(caused.eventId)}>{caused.type}</Link> in <Link to={streamPath(caused.streamName)}>{caused.streamName}</Link>
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
              <Section title="Data">
                <Json value={shown.data} label="Data" />
              </Section>
              <Section title="Metadata">
                <Json value={metadata} label="Metadata" />
              </Section>
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}
