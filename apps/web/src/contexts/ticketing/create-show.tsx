import { useState } from 'react';
import { api } from '../../api';
import { navigate } from '../../router';
import { Button, ErrorMessage, Field, Form, Page, Section, useCommand } from '../../ui';

interface RowDraft {
  key: number;
  name: string;
  seats: string;
}

interface SectionDraft {
  key: number;
  name: string;
  price: string;
  rows: RowDraft[];
}

let nextKey = 1;
const newRow = (name: string, seats = '10'): RowDraft => ({ key: nextKey++, name, seats });
const newSection = (name: string): SectionDraft => ({ key: nextKey++, name, price: '', rows: [newRow('1')] });

/** The next free name after the last one: `A` → `B`, `3` → `4`; otherwise empty, for the organiser to write. */
function following(names: string[], first: string): string {
  const last = names[names.length - 1];
  if (last === undefined) return first;
  if (/^[0-9]+$/.test(last)) return String(Number(last) + 1);
  if (/^[A-Y]$/i.test(last)) return String.fromCharCode(last.charCodeAt(0) + 1);
  return '';
}

/** A `datetime-local` value (the organiser's own time) as the API's ISO-8601 UTC instant, or null. */
export function toUtcInstant(local: string): string | null {
  if (!local) return null;
  const instant = new Date(local);
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
}

const NAME_HINT = '1 to 10 letters or digits';

export function CreateShowPage() {
  const [title, setTitle] = useState('');
  const [venue, setVenue] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [holdSeconds, setHoldSeconds] = useState('600');
  const [sections, setSections] = useState<SectionDraft[]>(() => [newSection('A')]);
  const instant = toUtcInstant(startsAt);
  const create = useCommand(
    () =>
      api.post<{ showId: string; seats: number; position: string }>('/ticketing/shows', {
        title,
        venue,
        startsAt: instant,
        holdSeconds: Number(holdSeconds),
        sections: sections.map((section) => ({ name: section.name, price: section.price, rows: section.rows.map((row) => ({ name: row.name, seats: Number(row.seats) })) })),
      }),
    (created) => navigate(`/ticketing/shows/${created.showId}`),
  );
  const change = (key: number, patch: Partial<SectionDraft>) => setSections((all) => all.map((section) => (section.key === key ? { ...section, ...patch } : section)));
  const total = sections.reduce((sum, section) => sum + section.rows.reduce((seats, row) => seats + (Number(row.seats) || 0), 0), 0);
  return (
    <Page title="Create a show">
      <Form label="Create a show" onSubmit={() => create.mutate(undefined)}>
        <Section title="The show">
          <Field label="Title" required maxLength={200} value={title} onChange={(event) => setTitle(event.target.value)} />
          <Field label="Venue" required maxLength={200} value={venue} onChange={(event) => setVenue(event.target.value)} />
          <div className="row">
            <Field
              label="Starts at"
              type="datetime-local"
              required
              value={startsAt}
              onChange={(event) => setStartsAt(event.target.value)}
              hint={instant ? `Your local time; sent as ${instant.slice(0, 16).replace('T', ' ')} UTC.` : 'Your local time; it is sent in UTC.'}
            />
            <Field
              label="Hold seats for (seconds)"
              type="number"
              min={1}
              max={3600}
              step={1}
              required
              value={holdSeconds}
              onChange={(event) => setHoldSeconds(event.target.value)}
              hint="How long reserved seats wait for payment: 1 to 3600 seconds."
            />
          </div>
        </Section>
        <Section title="Seat map">
          <p className="hint">
            Sections in order of price or view, each with rows from the best one. Seats are numbered from 1 in each row, so seat 3 of row 2 of section A is A-2-3.
          </p>
          {sections.map((section, index) => (
            <fieldset key={section.key} className="ticketing-section-editor">
              <legend>Section {index + 1}</legend>
              <div className="row">
                <Field label="Section name" required pattern="[A-Za-z0-9]{1,10}" hint={NAME_HINT} value={section.name} onChange={(event) => change(section.key, { name: event.target.value })} />
                <Field
                  label="Price"
                  required
                  inputMode="decimal"
                  pattern="[0-9]{1,6}([.][0-9]{1,2})?"
                  placeholder="49.90"
                  hint="Per seat, with at most two decimals"
                  value={section.price}
                  onChange={(event) => change(section.key, { price: event.target.value })}
                />
              </div>
              <ol className="ticketing-row-editor">
                {section.rows.map((row, rowIndex) => (
                  <li key={row.key}>
                    <fieldset>
                      <legend>
                        Section {index + 1}, row {rowIndex + 1}
                      </legend>
                      <div className="row">
                        <Field
                          label="Row name"
                          required
                          pattern="[A-Za-z0-9]{1,10}"
                          value={row.name}
                          onChange={(event) => change(section.key, { rows: section.rows.map((r) => (r.key === row.key ? { ...r, name: event.target.value } : r)) })}
                        />
                        <Field
                          label="Seats in the row"
                          type="number"
                          min={1}
                          max={1000}
                          step={1}
                          required
                          value={row.seats}
                          onChange={(event) => change(section.key, { rows: section.rows.map((r) => (r.key === row.key ? { ...r, seats: event.target.value } : r)) })}
                        />
                        {section.rows.length > 1 && (
                          <div className="field">
                            <button type="button" onClick={() => change(section.key, { rows: section.rows.filter((r) => r.key !== row.key) })}>
                              Remove row {rowIndex + 1} of section {index + 1}
                            </button>
                          </div>
                        )}
                      </div>
                    </fieldset>
                  </li>
                ))}
              </ol>
              <div className="ticketing-actions">
                <button
                  type="button"
                  onClick={() =>
                    change(section.key, {
                      rows: [...section.rows, newRow(following(section.rows.map((r) => r.name), '1'), section.rows[section.rows.length - 1]?.seats ?? '10')],
                    })
                  }
                >
                  Add a row to section {index + 1}
                </button>
                {sections.length > 1 && (
                  <button type="button" onClick={() => setSections((all) => all.filter((s) => s.key !== section.key))}>
                    Remove section {index + 1}
                  </button>
                )}
              </div>
            </fieldset>
          ))}
          <div className="ticketing-actions">
            <button type="button" onClick={() => setSections((all) => [...all, newSection(following(all.map((s) => s.name), 'A'))])}>
              Add a section
            </button>
          </div>
          <p>
            {total} {total === 1 ? 'seat' : 'seats'} in all.
          </p>
        </Section>
        <ErrorMessage error={create.error} />
        <Button type="submit" busy={create.isPending}>
          Create the show
        </Button>
      </Form>
    </Page>
  );
}
