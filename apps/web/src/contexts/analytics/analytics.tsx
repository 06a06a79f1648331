import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../../api';
import { DayChart } from '../../chart';
import { Link } from '../../router';
import { DatePicker, ErrorMessage, formatInstant, Loaded, Page, Section, Select, Spinner, today, usePageDate } from '../../ui';

type Period = 'day' | 'week' | 'month';

interface MostExpensive {
  period: Period;
  from: string;
  to: string;
  task: { taskId: string; title: string; reward: number; completedAt: string } | null;
}

interface Summary {
  date: string;
  managementEarnings: number;
  negativeBalanceWorkers: number;
}

const PERIODS: { period: Period; title: string }[] = [
  { period: 'day', title: 'Most expensive task of the day' },
  { period: 'week', title: 'Most expensive task of the week' },
  { period: 'month', title: 'Most expensive task of the month' },
];

const RANGES = [
  ['7', 'Last 7 days'],
  ['14', 'Last 14 days'],
  ['30', 'Last 30 days'],
] as const;

/** `count` days ending with `last`, oldest first (calendar arithmetic in UTC, no money involved). */
export function daysUpTo(last: string, count: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: count }, (_, index) => new Date(end - (count - 1 - index) * 86_400_000).toISOString().slice(0, 10)).filter((day) => day >= '2000-01-01');
}

const summaryQuery = (date: string) => ({ queryKey: ['analytics', 'summary', date], queryFn: () => api.get<Summary>('/analytics/summary', { date }) });

function ExpensiveCard({ period, title, date }: { period: Period; title: string; date: string }) {
  const answer = useQuery({ queryKey: ['analytics', 'most-expensive', period, date], queryFn: () => api.get<MostExpensive>('/analytics/most-expensive-task', { period, date }) });
  return (
    <Section title={title}>
      <Loaded query={answer}>
        {(found) => (
          <>
            <p className="hint">
              {found.from === found.to ? found.from : `${found.from} to ${found.to}`}
            </p>
            {found.task ? (
              <dl className="facts">
                <dt>Task</dt>
                <dd>
                  <Link to={`/tasks/${found.task.taskId}`}>{found.task.title}</Link>
                </dd>
                <dt>Reward</dt>
                <dd className="analytics-figure">{found.task.reward}</dd>
                <dt>Completed</dt>
                <dd>{formatInstant(found.task.completedAt)}</dd>
              </dl>
            ) : (
              <p className="empty">No task was completed in this period.</p>
            )}
          </>
        )}
      </Loaded>
    </Section>
  );
}

function EarningsChart({ date, range }: { date: string; range: number }) {
  const days = useMemo(() => daysUpTo(date, range), [date, range]);
  const answers = useQueries({ queries: days.map(summaryQuery) });
  const pending = answers.some((answer) => answer.isPending);
  const failed = answers.find((answer) => answer.isError)?.error;
  const figures = answers.map((answer) => answer.data?.managementEarnings ?? null).join(',');
  const series = useMemo(() => [{ label: 'Management earnings', values: figures.split(',').map((value) => (value === '' ? null : Number(value))), color: '#0b5cad' }], [figures]);
  if (failed) return <ErrorMessage error={failed} />;
  if (pending) return <Spinner label="Loading the days…" />;
  const title = `Management earnings per day, ${days[0]} to ${days[days.length - 1]}`;
  // The chart is drawn at the width the page had; on a narrower screen it scrolls by itself, not the page.
  return (
    <div className="analytics-chart" role="region" aria-label={`${title}, scrolls sideways on a narrow screen`} tabIndex={0}>
      <DayChart title={title} days={days} series={series} />
    </div>
  );
}

export function AnalyticsPage() {
  const [date, setDate] = usePageDate();
  const [range, setRange] = useState(14);
  const now = today();
  const summary = useQuery(summaryQuery(now));
  return (
    <Page title="Analytics">
      <DatePicker date={date} onChange={setDate} label="Date" />
      <div className="analytics-cards">
        {PERIODS.map(({ period, title }) => (
          <ExpensiveCard key={period} period={period} title={title} date={date} />
        ))}
      </div>
      <Section title="Workers with a negative balance today">
        <Loaded query={summary}>
          {(found) => (
            <p>
              <span className="analytics-figure" data-testid="negative-workers">
                {found.negativeBalanceWorkers}
              </span>{' '}
              {found.negativeBalanceWorkers === 1 ? 'worker is' : 'workers are'} negative on {found.date}.
            </p>
          )}
        </Loaded>
      </Section>
      <Section title="Management earnings">
        <div className="row">
          <Select label="Range" value={String(range)} onChange={(event) => setRange(Number(event.target.value))} options={RANGES} />
        </div>
        <EarningsChart date={date} range={range} />
      </Section>
    </Page>
  );
}

