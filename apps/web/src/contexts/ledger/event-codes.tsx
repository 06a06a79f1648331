import { useState } from 'react';
import { api } from '../../api';
import { useMe } from '../../session';
import { Button, ErrorMessage, Field, Form, formatInstant, Loaded, Notice, Page, Section, Status, Table, useCommand } from '../../ui';
import { useEventCodes } from './posting';
import type { EventCode } from './types';

export function EventCodesPage() {
  const me = useMe();
  const codes = useEventCodes();
  const toggle = useCommand((code: EventCode) => api.patch(`/ledger/event-codes/${code.code}`, { active: !code.active }));
  return (
    <Page title="Event codes">
      {me.role === 'admin' && <RegisterEventCode />}
      <Section title="Every event code">
        <p className="hint">A posting names an event code; the code must be active and allow the posting's side.</p>
        <ErrorMessage error={toggle.error} />
        <Loaded query={codes}>
          {(rows) => (
            <Table
              caption="Event codes"
              rows={[...rows].sort((a, b) => a.code - b.code)}
              rowKey={(row) => String(row.code)}
              empty="No event code yet."
              columns={[
                { header: 'Code', cell: (row) => row.code, numeric: true },
                { header: 'Description', cell: (row) => row.description },
                { header: 'Debit', cell: (row) => (row.allowDebit ? 'allowed' : 'not allowed') },
                { header: 'Credit', cell: (row) => (row.allowCredit ? 'allowed' : 'not allowed') },
                { header: 'State', cell: (row) => <Status value={row.active ? 'active' : 'inactive'} /> },
                { header: 'Created', cell: (row) => formatInstant(row.createdAt) },
                ...(me.role === 'admin'
                  ? [
                      {
                        header: 'Actions',
                        cell: (row: EventCode) => (
                          <Button type="button" className="" busy={toggle.isPending && toggle.variables === row} aria-label={`${row.active ? 'Deactivate' : 'Activate'} event code ${row.code}`} onClick={() => toggle.mutate(row)}>
                            {row.active ? 'Deactivate' : 'Activate'}
                          </Button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </Loaded>
      </Section>
    </Page>
  );
}

function RegisterEventCode() {
  const empty = { code: '', description: '', allowDebit: true, allowCredit: true, active: true };
  const [draft, setDraft] = useState(empty);
  const [created, setCreated] = useState<number | null>(null);
  const register = useCommand(
    () =>
      api.post<{ code: number }>('/ledger/event-codes', {
        // A whole number when it is one; anything else goes as typed, for the API to say what is wrong.
        code: /^[0-9]{1,5}$/.test(draft.code.trim()) ? Number(draft.code.trim()) : draft.code,
        description: draft.description.trim(),
        allowDebit: draft.allowDebit,
        allowCredit: draft.allowCredit,
        active: draft.active,
      }),
    (answer) => {
      setCreated(answer.code);
      setDraft(empty);
    },
  );
  const check = (key: 'allowDebit' | 'allowCredit' | 'active', label: string) => (
    <label className="ledger-check">
      <input type="checkbox" checked={draft[key]} onChange={(event) => setDraft({ ...draft, [key]: event.target.checked })} /> {label}
    </label>
  );
  return (
    <Section title="Register an event code">
      <Form onSubmit={() => register.mutate(undefined)} label="Register an event code">
        <div className="row">
          <Field label="Code" required inputMode="numeric" pattern="[0-9]{1,5}" hint="A whole number from 1 to 99999" value={draft.code} onChange={(event) => setDraft({ ...draft, code: event.target.value })} />
          <Field label="Description" required maxLength={200} value={draft.description} onChange={(event) => setDraft({ ...draft, description: event.target.value })} />
        </div>
        <fieldset className="ledger-sides">
          <legend>Settings</legend>
          {check('allowDebit', 'Allows debits')}
          {check('allowCredit', 'Allows credits')}
          {check('active', 'Active')}
        </fieldset>
        <ErrorMessage error={register.error} />
        {created !== null && !register.isPending && !register.error && <Notice>Event code {created} registered.</Notice>}
        <Button type="submit" busy={register.isPending}>
          Register event code
        </Button>
      </Form>
    </Section>
  );
}
