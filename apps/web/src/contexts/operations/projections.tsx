import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { Link } from '../../router';
import { Button, ErrorMessage, Loaded, Notice, Page, Section, Status, Table, useCommand } from '../../ui';
import { eventPath, type ProcessManagerReport, type ProjectionReport } from './types';

/** How often the operations tables ask again, so a rebuild or a retry is seen moving. */
const POLL_MS = 1000;

const seconds = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} s`;

function Position({ value }: { value: string | null }) {
  return value ? <code>{value}</code> : <span>none yet</span>;
}

export function ProjectionsPage() {
  const projections = useQuery({
    queryKey: ['operations', 'projections'],
    // When the request was sent, so that a report is known to have been read after a rebuild was asked.
    queryFn: async () => {
      const sentAt = Date.now();
      return { sentAt, rows: await api.get<ProjectionReport[]>('/projections', {}, { afterLastCommand: false }) };
    },
    refetchInterval: POLL_MS,
  });
  const [done, setDone] = useState<string | null>(null);
  /** Rebuilds asked from this page: the generation being built, and when the ask was answered. */
  const [asked, setAsked] = useState<Record<string, { generation: number; at: number }>>({});
  const rebuild = useCommand(
    (name: string) => api.post<{ name: string; generation: number }>(`/projections/${encodeURIComponent(name)}/rebuild`),
    (answer) => {
      setAsked((seen) => ({ ...seen, [answer.name]: { generation: answer.generation, at: Date.now() } }));
      setDone(`Rebuild of ${answer.name} asked: generation ${answer.generation} is built from the log while the current tables keep serving.`);
    },
  );
  /**
   * The ask is stored before it is answered, so a report read after it shows the rebuild until
   * the new generation serves; until such a report arrives the row says rebuilding.
   */
  const progress = (row: ProjectionReport): { status: string; note: string | null } => {
    const ask = asked[row.name];
    if (row.rebuild) return { status: row.status, note: `building version ${row.rebuild.version}, at ${row.rebuild.position ?? 'the start'}` };
    if (!ask) return { status: row.status, note: null };
    if ((projections.data?.sentAt ?? 0) <= ask.at) return { status: 'rebuilding', note: `generation ${ask.generation} asked` };
    return { status: row.status, note: `rebuilt: generation ${ask.generation} serves` };
  };
  const retry = useCommand(
    (name: string) => api.post<{ name: string }>(`/projections/${encodeURIComponent(name)}/retry`),
    (answer) => setDone(`${answer.name} retries the event it halted on.`),
  );
  const busy = rebuild.isPending || retry.isPending;
  return (
    <Page title="Projections">
      <p>Every read model, how far it has read the log and how far behind it is. The table refreshes every second.</p>
      <ErrorMessage error={rebuild.error ?? retry.error} />
      {done && <Notice>{done}</Notice>}
      <Loaded query={projections}>
        {({ rows }) => (
          <Table
            caption="Projections"
            rows={rows}
            rowKey={(row) => row.name}
            empty="No projections."
            columns={[
              { header: 'Name', cell: (row) => row.name },
              { header: 'Version', cell: (row) => row.version, numeric: true },
              {
                header: 'Status',
                cell: (row) => {
                  const { status, note } = progress(row);
                  return (
                    <span data-testid={`projection-status-${row.name}`}>
                      <Status value={status} />
                      {note && <small className="hint"> {note}</small>}
                    </span>
                  );
                },
              },
              { header: 'Position', cell: (row) => <Position value={row.position} /> },
              { header: 'Lag (events)', cell: (row) => row.lagEvents, numeric: true },
              { header: 'Lag (seconds)', cell: (row) => seconds(row.lagSeconds), numeric: true },
              { header: 'Last error', cell: (row) => row.lastError ?? '—' },
              {
                header: 'Actions',
                cell: (row) => (
                  <span className="row">
                    <Button className="secondary" type="button" aria-label={`Rebuild ${row.name}`} busy={rebuild.isPending && rebuild.variables === row.name} disabled={busy} onClick={() => rebuild.mutate(row.name)}>
                      Rebuild
                    </Button>
                    {row.status === 'halted' && (
                      <Button type="button" aria-label={`Retry ${row.name}`} busy={retry.isPending && retry.variables === row.name} disabled={busy} onClick={() => retry.mutate(row.name)}>
                        Retry
                      </Button>
                    )}
                  </span>
                ),
              },
            ]}
          />
        )}
      </Loaded>
    </Page>
  );
}

export function ProcessManagersPage() {
  const managers = useQuery({
    queryKey: ['operations', 'process-managers'],
    queryFn: () => api.get<ProcessManagerReport[]>('/process-managers', {}, { afterLastCommand: false }),
    refetchInterval: POLL_MS,
  });
  const [confirming, setConfirming] = useState<ProcessManagerReport | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const skip = useCommand(
    (name: string) => api.post<{ name: string; eventId: string; type: string; position: string }>(`/process-managers/${encodeURIComponent(name)}/skip`, { confirm: true }),
    (answer) => {
      setConfirming(null);
      setDone(`${answer.name} moves past ${answer.type} (${answer.eventId}) at its next retry.`);
    },
  );
  const failing = confirming?.failingEvent;
  return (
    <Page title="Process managers">
      <p>The reactions and workflows the worker runs. One that keeps failing on an event retries it until the event is handled or skipped. The table refreshes every second.</p>
      {done && <Notice>{done}</Notice>}
      <Loaded query={managers}>
        {(rows) => (
          <Table
            caption="Process managers"
            rows={rows}
            rowKey={(row) => row.name}
            empty="No process managers."
            columns={[
              { header: 'Name', cell: (row) => row.name },
              { header: 'Status', cell: (row) => <Status value={row.status} /> },
              { header: 'Position', cell: (row) => <Position value={row.position} /> },
              { header: 'Lag (events)', cell: (row) => row.lagEvents, numeric: true },
              { header: 'Lag (seconds)', cell: (row) => seconds(row.lagSeconds), numeric: true },
              { header: 'Attempts', cell: (row) => row.attempts, numeric: true },
              { header: 'Last error', cell: (row) => row.lastError ?? '—' },
              {
                header: 'Failing event',
                cell: (row) =>
                  row.failingEvent ? (
                    <>
                      <Link to={eventPath(row.failingEvent.eventId)}>{row.failingEvent.type}</Link>
                      {row.failingEvent.skipRequested && <small className="hint"> skip asked</small>}
                    </>
                  ) : (
                    '—'
                  ),
              },
              {
                header: 'Actions',
                cell: (row) =>
                  row.status === 'retrying' && row.failingEvent && !row.failingEvent.skipRequested ? (
                    <Button type="button" className="danger" aria-label={`Skip the failing event of ${row.name}`} onClick={() => (skip.reset(), setConfirming(row))}>
                      Skip…
                    </Button>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        )}
      </Loaded>
      {confirming && failing && (
        <Section title={`Skip an event for ${confirming.name}?`}>
          <p>
            {confirming.name} has failed {confirming.attempts} times on <Link to={eventPath(failing.eventId)}>{failing.type}</Link> at position <code>{failing.position}</code>. Skipping it means
            this process manager never handles that event; nothing else is skipped.
          </p>
          <ErrorMessage error={skip.error} />
          <div className="row">
            <Button type="button" className="danger" busy={skip.isPending} onClick={() => skip.mutate(confirming.name)}>
              Skip the event
            </Button>
            <Button type="button" className="secondary" autoFocus onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          </div>
        </Section>
      )}
    </Page>
  );
}
