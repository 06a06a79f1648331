import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, type Page as ApiPage } from '../../api';
import { Link } from '../../router';
import { Button, ErrorMessage, Field, Form, Loaded, Notice, Page, Pager, Section, Select, Table, useCommand, usePager } from '../../ui';
import { cents } from '../../money';
import { type MenuItem, ORDER_STATUSES, type Order } from './model';
import { OrdersTable } from './order';
import { useProviders } from './shop';

interface ProviderDraft {
  name: string;
  adapter: 'simulated' | 'http';
  baseUrl: string;
  secret: string;
  acceptTimeoutSeconds: string;
  acceptAfterMs: string;
  stepMs: string;
  reject: boolean;
}

const EMPTY_PROVIDER: ProviderDraft = { name: '', adapter: 'simulated', baseUrl: '', secret: '', acceptTimeoutSeconds: '', acceptAfterMs: '2000', stepMs: '5000', reject: false };

/** The body of POST /orders/providers: baseUrl only for http, the simulation only for simulated, the timeout only when given. */
function providerBody(draft: ProviderDraft) {
  return {
    name: draft.name,
    adapter: draft.adapter,
    secret: draft.secret,
    ...(draft.adapter === 'http' ? { baseUrl: draft.baseUrl } : {}),
    ...(draft.acceptTimeoutSeconds.trim() ? { acceptTimeoutSeconds: Number(draft.acceptTimeoutSeconds) } : {}),
    ...(draft.adapter === 'simulated' ? { simulation: { acceptAfterMs: Number(draft.acceptAfterMs), stepMs: Number(draft.stepMs), reject: draft.reject } } : {}),
  };
}

export function ProvidersPage() {
  const providers = useProviders();
  const [draft, setDraft] = useState(EMPTY_PROVIDER);
  const [registered, setRegistered] = useState<{ providerId: string; name: string } | null>(null);
  const set = (change: Partial<ProviderDraft>) => setDraft((current) => ({ ...current, ...change }));
  const register = useCommand(
    (body: ReturnType<typeof providerBody>) => api.post<{ providerId: string }>('/orders/providers', body),
    (answer, body) => {
      setRegistered({ providerId: answer.providerId, name: body.name });
      setDraft(EMPTY_PROVIDER);
    },
  );
  return (
    <Page title="Providers">
      <Section title="Restaurants">
        <Loaded query={providers}>
          {(rows) => (
            <Table
              caption="Every provider, in the order they joined"
              rows={rows}
              rowKey={(provider) => provider.providerId}
              empty="No provider yet."
              columns={[
                { header: 'Name', cell: (provider) => provider.name },
                { header: 'Adapter', cell: (provider) => provider.adapter },
                { header: 'Dishes', cell: (provider) => provider.menu.length, numeric: true },
                {
                  header: 'Menu',
                  cell: (provider) => (
                    <Link to={`/orders/admin/providers/${provider.providerId}/menu`} aria-label={`Edit menu: ${provider.name}`}>
                      Edit menu
                    </Link>
                  ),
                },
              ]}
            />
          )}
        </Loaded>
      </Section>
      <Section title="Add a provider">
        <Form onSubmit={() => register.mutate(providerBody(draft))} label="Add a provider">
          <Field label="Name" required maxLength={200} value={draft.name} onChange={(event) => set({ name: event.target.value })} />
          <Select
            label="Adapter"
            value={draft.adapter}
            onChange={(event) => set({ adapter: event.target.value as ProviderDraft['adapter'] })}
            options={[
              ['simulated', 'Simulated (runs inside the platform)'],
              ['http', 'HTTP (the provider’s own API)'],
            ]}
          />
          {draft.adapter === 'http' && (
            <Field label="Base URL" type="url" required maxLength={2000} placeholder="https://api.example.com" value={draft.baseUrl} onChange={(event) => set({ baseUrl: event.target.value })} />
          )}
          <Field
            label="Secret"
            type="password"
            autoComplete="off"
            required
            maxLength={200}
            hint="Signs the provider’s callbacks (HMAC-SHA256 of the body)."
            value={draft.secret}
            onChange={(event) => set({ secret: event.target.value })}
          />
          <Field
            label="Accept timeout (seconds)"
            type="number"
            min={1}
            max={86400}
            step={1}
            hint="A sub-order not accepted in this time is cancelled; 60 when left empty."
            value={draft.acceptTimeoutSeconds}
            onChange={(event) => set({ acceptTimeoutSeconds: event.target.value })}
          />
          {draft.adapter === 'simulated' && (
            <fieldset className="orders-fieldset">
              <legend>Simulation</legend>
              <div className="row">
                <Field label="Accepts after (ms)" type="number" min={0} max={3600000} step={1} required value={draft.acceptAfterMs} onChange={(event) => set({ acceptAfterMs: event.target.value })} />
                <Field label="Each step (ms)" type="number" min={1} max={3600000} step={1} required value={draft.stepMs} onChange={(event) => set({ stepMs: event.target.value })} />
              </div>
              <label className="orders-check">
                <input type="checkbox" checked={draft.reject} onChange={(event) => set({ reject: event.target.checked })} /> Reject every order
              </label>
            </fieldset>
          )}
          <ErrorMessage error={register.error} />
          {registered && (
            <Notice>
              {registered.name} is registered. <Link to={`/orders/admin/providers/${registered.providerId}/menu`}>Set its menu</Link>
            </Notice>
          )}
          <Button type="submit" busy={register.isPending}>
            Add provider
          </Button>
        </Form>
      </Section>
    </Page>
  );
}

type Row = MenuItem & { key: number };

let rowKeys = 0;
const newRow = (item: MenuItem = { sku: '', name: '', price: '' }): Row => ({ ...item, key: (rowKeys += 1) });

export function MenuPage({ params }: { params: Record<string, string> }) {
  const providerId = params.providerId ?? '';
  const providers = useProviders();
  const provider = providers.data?.find((candidate) => candidate.providerId === providerId);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (provider && rows === null) setRows(provider.menu.length ? provider.menu.map((item) => newRow(item)) : [newRow()]);
  }, [provider, rows]);
  const save = useCommand(
    (items: MenuItem[]) => api.put<{ providerId: string }>(`/orders/providers/${providerId}/menu`, { items }),
    () => setSaved(true),
  );
  const change = (key: number, part: Partial<MenuItem>) => {
    setSaved(false);
    setRows((current) => (current ?? []).map((row) => (row.key === key ? { ...row, ...part } : row)));
  };
  const badPrices = (rows ?? []).filter((row) => row.price.trim() && cents(row.price) === null);
  return (
    <Page title={provider ? `Menu of ${provider.name}` : 'Menu'} actions={<Link to="/orders/admin/providers">All providers</Link>}>
      <Loaded query={providers}>
        {() =>
          !provider ? (
            <p className="empty">There is no provider with this id.</p>
          ) : (
            <Form onSubmit={() => save.mutate((rows ?? []).map(({ sku, name, price }) => ({ sku: sku.trim(), name: name.trim(), price: price.trim() })))} label="Menu">
              <p className="hint">Each dish has a SKU (letters, digits, _ or -, unique on the menu), a name and a price such as 8.50. Saving replaces the whole menu.</p>
              <ol className="orders-menu-rows">
                {(rows ?? []).map((row, index) => (
                  <li key={row.key} className="row">
                    <Field label={`SKU, dish ${index + 1}`} required maxLength={50} pattern="[A-Za-z0-9_\-]{1,50}" value={row.sku} onChange={(event) => change(row.key, { sku: event.target.value })} />
                    <Field label={`Name, dish ${index + 1}`} required maxLength={200} value={row.name} onChange={(event) => change(row.key, { name: event.target.value })} />
                    <Field label={`Price, dish ${index + 1}`} required inputMode="decimal" value={row.price} onChange={(event) => change(row.key, { price: event.target.value })} />
                    <button
                      type="button"
                      aria-label={`Remove dish ${index + 1}`}
                      onClick={() => {
                        setSaved(false);
                        setRows((current) => (current ?? []).filter((other) => other.key !== row.key));
                      }}
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ol>
              {badPrices.length > 0 && (
                <p className="orders-warning">A price is a decimal with at most two decimals, such as 8.50: {badPrices.map((row) => row.price).join(', ')}</p>
              )}
              <ErrorMessage error={save.error} />
              {saved && <Notice>The menu is saved.</Notice>}
              <div className="row">
                <button
                  type="button"
                  onClick={() => {
                    setSaved(false);
                    setRows((current) => [...(current ?? []), newRow()]);
                  }}
                >
                  Add a dish
                </button>
                <Button type="submit" busy={save.isPending} disabled={badPrices.length > 0}>
                  Save menu
                </Button>
              </div>
            </Form>
          )
        }
      </Loaded>
    </Page>
  );
}

const PAGE_SIZE = 20;

export function AllOrdersPage() {
  const [status, setStatus] = useState('');
  const pager = usePager([status]);
  const orders = useQuery({
    queryKey: ['orders', 'all', status, pager.cursor],
    queryFn: () => api.get<ApiPage<Order>>('/orders', { status, limit: PAGE_SIZE, cursor: pager.cursor }),
  });
  return (
    <Page title="All orders">
      <div className="orders-filter">
        <Select label="Status" value={status} onChange={(event) => setStatus(event.target.value)} options={[['', 'Any status'], ...ORDER_STATUSES.map((value) => [value, value] as const)]} />
      </div>
      <Loaded query={orders}>
        {(page) => (
          <>
            <OrdersTable caption={status ? `Orders that are ${status}, newest first` : 'Every order, newest first'} orders={page.items} showCustomer />
            <Pager pager={pager} nextCursor={page.nextCursor} />
          </>
        )}
      </Loaded>
    </Page>
  );
}
