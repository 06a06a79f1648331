import { addDays, isoWeekOf, isUtcDate, monthOf, utcDateOf } from './dates';

describe('UTC dates', () => {
  it('knows a real calendar date from a malformed or impossible one', () => {
    expect(isUtcDate('2024-02-29')).toBe(true);
    for (const value of ['2023-02-29', '2024-13-01', '2024-1-01', '01-05-2024', '2024-05-01T00:00:00Z', 20240501]) expect(isUtcDate(value)).toBe(false);
  });

  it('takes the UTC date of an instant', () => {
    expect(utcDateOf('2024-05-01T23:59:59.999Z')).toBe('2024-05-01');
    expect(utcDateOf(new Date('2024-05-01T23:30:00-02:00'))).toBe('2024-05-02');
  });

  it('adds days across months and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('finds the ISO week, Monday to Sunday', () => {
    expect(isoWeekOf('2024-05-01')).toEqual({ from: '2024-04-29', to: '2024-05-05' });
    expect(isoWeekOf('2024-04-29')).toEqual({ from: '2024-04-29', to: '2024-05-05' });
    expect(isoWeekOf('2024-05-05')).toEqual({ from: '2024-04-29', to: '2024-05-05' });
    expect(isoWeekOf('2025-01-01')).toEqual({ from: '2024-12-30', to: '2025-01-05' });
  });

  it('finds the calendar month', () => {
    expect(monthOf('2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthOf('2024-12-31')).toEqual({ from: '2024-12-01', to: '2024-12-31' });
  });
});
