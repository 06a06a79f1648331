import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../api';
import { DayChart } from '../../chart';
import { Loaded, Section, Table, today } from '../../ui';
import { accountApi, addDays, type DayBalance } from './types';

interface Balances {
  branch: string;
  account: string;
  items: DayBalance[];
}

/**
 * Daily balances over a period: a chart of the balance and the accumulated debit and credit, and
 * the API's figures (exact decimal strings) in a table. The strings become numbers only to be drawn.
 */
export function BalanceChart({ branch, account, from, to }: { branch: string; account: string; from: string; to: string }) {
  const base = accountApi(branch, account);
  const balances = useQuery({
    queryKey: ['ledger', 'balances', branch, account, from, to],
    // The balance as of `from` too: the days of the period before its first posting carry it.
    queryFn: async () => {
      const [range, start] = await Promise.all([api.get<Balances>(`${base}/balances`, { from, to }), api.get<DayBalance>(`${base}/balance`, { date: from })]);
      return { items: range.items, start };
    },
  });
  return (
    <Section title="Daily balances">
      <Loaded query={balances}>{(answer) => <DailyBalances items={answer.items} start={answer.start} from={from} to={to} />}</Loaded>
    </Section>
  );
}

/**
 * Every day of the period up to today, each with the accumulated values of its last day with
 * postings (as GET .../balance answers a day without any): the values are carried, never computed.
 */
function everyDay(items: DayBalance[], start: DayBalance, from: string, to: string): DayBalance[] {
  const last = to < today() ? to : today();
  const byDay = new Map(items.map((item) => [item.dateRef, item]));
  const days: DayBalance[] = [];
  let carried = start;
  for (let day = from; day <= last && days.length < 366; day = addDays(day, 1)) {
    carried = byDay.get(day) ?? carried;
    days.push(carried);
  }
  return days;
}

function DailyBalances({ items, start, from, to }: { items: DayBalance[]; start: DayBalance; from: string; to: string }) {
  const filled = useMemo(() => everyDay(items, start, from, to), [items, start, from, to]);
  const days = useMemo(() => filled.map((_, index) => addDays(from, index)), [filled, from]);
  const series = useMemo(
    () => [
      // For drawing only: the chart needs numbers; every figure shown as text stays the API's string.
      { label: 'Balance', values: filled.map((item) => Number(item.balance)), color: '#0b5cad' },
      { label: 'Accumulated debit', values: filled.map((item) => Number(item.accumulatedDebit)), color: '#a4161a' },
      { label: 'Accumulated credit', values: filled.map((item) => Number(item.accumulatedCredit)), color: '#1b6e3a' },
    ],
    [filled],
  );
  return (
    <>
      {/* The chart follows its box's width a frame after the box changes; until then it is clipped, never wider than the page. */}
      <div className="ledger-chart">
        <DayChart title={`Balance from ${from} to ${to}`} days={days} series={series} />
      </div>
      <Table
        caption={`Days with postings from ${from} to ${to}`}
        rows={items}
        rowKey={(item) => item.dateRef}
        empty="No postings in this period."
        columns={[
          { header: 'Day', cell: (item) => item.dateRef },
          { header: 'Debits', cell: (item) => item.totalDebit, numeric: true },
          { header: 'Credits', cell: (item) => item.totalCredit, numeric: true },
          { header: 'Accumulated debit', cell: (item) => item.accumulatedDebit, numeric: true },
          { header: 'Accumulated credit', cell: (item) => item.accumulatedCredit, numeric: true },
          { header: 'Balance', cell: (item) => item.balance, numeric: true },
        ]}
      />
    </>
  );
}
