import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { href, Link, navigate, useLocation } from '../../router';
import { Field, formatInstant, Loaded, Table, today } from '../../ui';
import { type Entry, KIND_TEXT } from './model';

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
    <div className="row accounting-date">
      <Field label={label} type="date" min="2000-01-01" max="2100-12-31" required value={date} onChange={(event) => event.target.value && onChange(event.target.value)} />
    </div>
  );
}

/** One day's entries of an audit log (mine, or a worker's for admins and accountants). */
export function AuditLog({ path, date, caption }: { path: string; date: string; caption: string }) {
  const log = useQuery({ queryKey: ['accounting', 'audit-log', path, date], queryFn: () => api.get<{ items: Entry[] }>(path, { date }) });
  return (
    <Loaded query={log}>
      {({ items }) => (
        <Table
          caption={caption}
          rows={items}
          rowKey={(entry) => `${entry.at}-${entry.kind}-${entry.taskId ?? ''}-${entry.amount}-${entry.description}`}
          empty={`No entries on ${date}.`}
          columns={[
            { header: 'At', cell: (entry) => formatInstant(entry.at) },
            { header: 'Kind', cell: (entry) => <span className={`accounting-kind accounting-kind-${entry.kind}`}>{KIND_TEXT[entry.kind] ?? entry.kind}</span> },
            { header: 'Amount', numeric: true, cell: (entry) => entry.amount },
            { header: 'Task', cell: (entry) => (entry.taskId ? <Link to={`/tasks/${entry.taskId}`}>{entry.taskTitle ?? entry.taskId}</Link> : '—') },
            { header: 'Description', cell: (entry) => <span className="accounting-text">{entry.description}</span> },
          ]}
        />
      )}
    </Loaded>
  );
}
