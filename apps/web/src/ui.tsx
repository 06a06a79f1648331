import { type UseQueryResult, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  type ButtonHTMLAttributes,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useEffect,
  useId,
  useState,
} from 'react';
import { ApiError } from './api';
import { href, navigate, useLocation } from './router';

/** A page: its heading (also the document's title) and its content. */
export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · UberPopug`;
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        {actions}
      </div>
      {children}
    </>
  );
}

/** A titled part of a page. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

type FieldProps = { label: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>;

/** An input with its label and, when given, a hint read out with it. */
export function Field({ label, hint, ...input }: FieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

export function TextArea({ label, hint, ...input }: { label: string; hint?: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

export function Select({ label, options, ...select }: { label: string; options: readonly (readonly [string, string])[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A form that never reloads the page. */
export function Form({ onSubmit, children, label }: { onSubmit: () => void; children: ReactNode; label?: string }) {
  return (
    <form
      aria-label={label}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <span role="status" className="spinner">
      <span className="spinner-wheel" aria-hidden="true" />
      {label}
    </span>
  );
}

/** A button that shows a spinner and cannot be pressed again while its action runs. */
export function Button({ busy, disabled, children, className, ...button }: { busy?: boolean } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button className={className ?? 'primary'} {...button} disabled={busy || disabled} aria-busy={busy || undefined}>
      {busy && <span className="spinner-wheel" aria-hidden="true" />}
      {children}
    </button>
  );
}

/** The API's message for a failed action, shown where the action was. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const message = apiError ? apiError.message : error instanceof Error ? error.message : String(error);
  return (
    <p role="alert" className="error">
      {message}
      {apiError && <code className="code"> {apiError.code}</code>}
    </p>
  );
}

/** A query's content once it has arrived; a spinner until then; its error if it failed. */
export function Loaded<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorMessage error={query.error} />;
  return <>{children(query.data)}</>;
}

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
}

export function Table<T>({ caption, columns, rows, rowKey, empty = 'Nothing yet.' }: { caption: string; columns: Column<T>[]; rows: readonly T[]; rowKey: (row: T) => string; empty?: string }) {
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={column.numeric ? 'num' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.header} className={column.numeric ? 'num' : undefined}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Cursor paging: the cursors of the pages seen, so "Previous" goes back. */
export function usePager(resetOn: unknown[] = []): { cursor: string | undefined; page: number; next(cursor: string): void; previous(): void } {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const reset = JSON.stringify(resetOn);
  useEffect(() => setCursors([undefined]), [reset]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    next: (cursor) => setCursors((seen) => [...seen, cursor]),
    previous: () => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)),
  };
}

export function Pager({ pager, nextCursor }: { pager: ReturnType<typeof usePager>; nextCursor: string | null | undefined }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={pager.page === 1} onClick={pager.previous}>
        Previous page
      </button>
      <span>Page {pager.page}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        Next page
      </button>
    </nav>
  );
}

/**
 * A command: while it runs its button spins; once it answers, every query is fetched again (they
 * wait for its position, so the change is on screen); its error is kept for `ErrorMessage`.
 */
export function useCommand<TVariables, TResult>(run: (variables: TVariables) => Promise<TResult>, onDone?: (result: TResult, variables: TVariables) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async (result, variables) => {
      onDone?.(result, variables);
      await client.invalidateQueries();
    },
  });
}

export function Status({ value }: { value: string }) {
  return <span className={`status status-${value.replace(/[^a-z_]/gi, '')}`}>{value.replace(/_/g, ' ')}</span>;
}

/** Today's date in UTC, as the API writes dates. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function formatInstant(instant: string | null | undefined): string {
  if (!instant) return '—';
  return new Date(instant).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'medium' }) + ' UTC';
}

/** A notice for something that worked. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="notice">
      {children}
    </p>
  );
}

/**
 * A button for something that cannot be undone: the first press asks, the second does it.
 */
export function ConfirmButton({ label, question, confirmLabel, busy, onConfirm }: { label: string; question: ReactNode; confirmLabel: string; busy?: boolean; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <Button type="button" className="danger" busy={busy} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  return (
    <div className="confirm" role="group" aria-label={label}>
      <p>{question}</p>
      <div className="actions">
        <Button
          type="button"
          className="danger"
          busy={busy}
          autoFocus
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </Button>
        <button type="button" onClick={() => setAsking(false)}>
          No, keep it
        </button>
      </div>
    </div>
  );
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The page's date, kept in its address (`?date=`) so a reload or a link keeps it; today by default. */
export function usePageDate(): [string, (date: string) => void] {
  const location = useLocation();
  const given = location.query.get('date') ?? '';
  const date = DATE.test(given) ? given : today();
  const setDate = (next: string) => {
    const query = Object.fromEntries(location.query.entries());
    navigate(href(location.path, { ...query, date: next || undefined }));
  };
  return [date, setDate];
}

export function DatePicker({ date, onChange, label = 'Day' }: { date: string; onChange: (date: string) => void; label?: string }) {
  return (
    <div className="row date-picker">
      <Field label={label} type="date" min="2000-01-01" max="2100-12-31" required value={date} onChange={(event) => event.target.value && onChange(event.target.value)} />
    </div>
  );
}
