import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import type { PageProps } from '../../pages';
import { href, navigate } from '../../router';
import { Button, ErrorMessage, Field, Form, formatInstant, Loaded, Notice, Page, Section, Select, Status, Table, useCommand } from '../../ui';
import type { Delivery } from './types';

const STORE_KEY = 'popug.ledger.webhooks';

interface Remembered {
  webhookId: string;
  url: string;
}

/** The API lists no webhooks, so this browser remembers the ones registered from it. */
function remembered(): Remembered[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORE_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((item): item is Remembered => typeof item?.webhookId === 'string') : [];
  } catch {
    return [];
  }
}

function remember(hook: Remembered): Remembered[] {
  const list = [hook, ...remembered().filter((item) => item.webhookId !== hook.webhookId)].slice(0, 50);
  localStorage.setItem(STORE_KEY, JSON.stringify(list));
  return list;
}

function forget(webhookId: string): Remembered[] {
  const list = remembered().filter((item) => item.webhookId !== webhookId);
  localStorage.setItem(STORE_KEY, JSON.stringify(list));
  return list;
}

const STATUSES = [
  ['', 'Every delivery'],
  ['pending', 'Pending (being retried)'],
  ['delivered', 'Delivered'],
  ['failed', 'Failed (dead letters)'],
] as const;

export function WebhooksPage({ query }: PageProps) {
  const selected = query.get('webhook') ?? '';
  const status = query.get('status') ?? '';
  const [hooks, setHooks] = useState(remembered);
  const show = (webhookId: string, deliveryStatus = status) => navigate(href('/ledger/webhooks', { webhook: webhookId, status: deliveryStatus }));
  return (
    <Page title="Webhooks">
      <Register
        onRegistered={(hook) => {
          setHooks(remember(hook));
          show(hook.webhookId);
        }}
      />
      <Section title="Webhooks registered from this browser">
        {hooks.length === 0 ? (
          <p className="empty">None yet. The ledger does not list webhooks: paste an id below to see one registered elsewhere.</p>
        ) : (
          <Table
            caption="Remembered webhooks"
            rows={hooks}
            rowKey={(hook) => hook.webhookId}
            columns={[
              { header: 'Address', cell: (hook) => <span className="ledger-key">{hook.url}</span> },
              { header: 'Webhook id', cell: (hook) => <code className="ledger-key">{hook.webhookId}</code> },
              {
                header: 'Actions',
                cell: (hook) => (
                  <span className="ledger-actions">
                    <button type="button" aria-label={`Deliveries of ${hook.url}`} onClick={() => show(hook.webhookId)}>
                      Deliveries
                    </button>
                    <button type="button" aria-label={`Forget ${hook.url}`} onClick={() => setHooks(forget(hook.webhookId))}>
                      Forget
                    </button>
                  </span>
                ),
              },
            ]}
          />
        )}
      </Section>
      <Lookup key={selected} webhookId={selected} status={status} onShow={show} />
      {selected && <Deliveries webhookId={selected} status={status} />}
    </Page>
  );
}

function Register({ onRegistered }: { onRegistered: (hook: Remembered) => void }) {
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [registered, setRegistered] = useState<string | null>(null);
  const register = useCommand(
    () => api.post<{ webhookId: string }>('/ledger/webhooks', { url: url.trim(), secret }),
    (answer) => {
      setRegistered(answer.webhookId);
      onRegistered({ webhookId: answer.webhookId, url: url.trim() });
      setUrl('');
      setSecret('');
    },
  );
  return (
    <Section title="Register a webhook">
      <p className="hint">
        Every posting applied from now on is POSTed to the address as <code>{'{ type: "posting.applied", data }'}</code>, signed in <code>X-Signature</code> with
        the secret (HMAC-SHA256). A 2xx answer delivers it; 408, 429, 5xx or no answer is retried with backoff; other answers fail it at once.
      </p>
      <Form onSubmit={() => register.mutate(undefined)} label="Register a webhook">
        <div className="row">
          <Field label="Address (URL)" type="url" required placeholder="https://client.example/ledger-events" value={url} onChange={(event) => setUrl(event.target.value)} />
          <Field label="Secret" type="password" autoComplete="off" required maxLength={256} value={secret} onChange={(event) => setSecret(event.target.value)} />
        </div>
        <ErrorMessage error={register.error} />
        {registered && !register.isPending && !register.error && (
          <Notice>
            Webhook registered: <code className="ledger-key" data-testid="ledger-webhook-id">{registered}</code>
          </Notice>
        )}
        <Button type="submit" busy={register.isPending}>
          Register webhook
        </Button>
      </Form>
    </Section>
  );
}

function Lookup({ webhookId, status, onShow }: { webhookId: string; status: string; onShow: (webhookId: string, status: string) => void }) {
  const [id, setId] = useState(webhookId);
  const [deliveryStatus, setDeliveryStatus] = useState(status);
  return (
    <Section title="Deliveries">
      <Form onSubmit={() => onShow(id.trim(), deliveryStatus)} label="Show deliveries">
        <div className="row">
          <Field label="Webhook id" required value={id} onChange={(event) => setId(event.target.value)} />
          <Select label="Status" value={deliveryStatus} onChange={(event) => setDeliveryStatus(event.target.value)} options={STATUSES} />
          <div className="field">
            <Button type="submit" className="">
              Show deliveries
            </Button>
          </div>
        </div>
      </Form>
    </Section>
  );
}

function Deliveries({ webhookId, status }: { webhookId: string; status: string }) {
  const deliveries = useQuery({
    queryKey: ['ledger', 'webhooks', webhookId, 'deliveries', status],
    queryFn: () => api.get<Delivery[]>(`/ledger/webhooks/${encodeURIComponent(webhookId)}/deliveries`, { status }),
  });
  const [retried, setRetried] = useState<string | null>(null);
  const retry = useCommand(
    (delivery: Delivery) => api.post(`/ledger/webhooks/${encodeURIComponent(webhookId)}/deliveries/${delivery.deliveryId}/retry`),
    (_answer, delivery) => setRetried(delivery.deliveryId),
  );
  const title = STATUSES.find(([value]) => value === status)?.[1] ?? 'Every delivery';
  return (
    <Section title={`${title} of webhook ${webhookId}`}>
      <Button type="button" className="" busy={deliveries.isFetching} onClick={() => void deliveries.refetch()}>
        Refresh
      </Button>
      <ErrorMessage error={retry.error} />
      {retried && !retry.isPending && !retry.error && <Notice>Delivery {retried} is sent again within a moment.</Notice>}
      <Loaded query={deliveries}>
        {(rows) => (
          <Table
              caption={title}
              rows={rows}
              rowKey={(row) => row.deliveryId}
              empty={status ? `No ${status} delivery.` : 'No delivery yet: one is made for each posting applied after the registration.'}
              columns={[
                { header: 'Delivery', cell: (row) => <code className="ledger-key">{row.deliveryId}</code> },
                { header: 'Posting trace key', cell: (row) => <code className="ledger-key">{row.traceKey}</code> },
                { header: 'Status', cell: (row) => <Status value={row.status} /> },
                { header: 'Attempts', cell: (row) => row.attempts, numeric: true },
                { header: 'Last error', cell: (row) => row.lastError ?? '—' },
                { header: 'Last attempt', cell: (row) => formatInstant(row.lastAttemptAt) },
                {
                  header: 'Actions',
                  cell: (row) =>
                    row.status === 'delivered' ? (
                      '—'
                    ) : (
                      <Button type="button" className="" busy={retry.isPending && retry.variables === row} aria-label={`Retry delivery ${row.deliveryId}`} onClick={() => retry.mutate(row)}>
                        Retry
                      </Button>
                    ),
                },
              ]}
            />
        )}
      </Loaded>
    </Section>
  );
}
