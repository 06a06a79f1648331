import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { Link } from '../../router';
import { formatInstant, Loaded, Table } from '../../ui';
import { type Entry, KIND_TEXT } from './model';

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
