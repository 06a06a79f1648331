/** Calendar dates as `YYYY-MM-DD` strings in UTC: they compare, sort and serialise as they are. */
export type UtcDate = string;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a string is a real calendar date in `YYYY-MM-DD` form (2024-02-30 is not). */
export function isUtcDate(value: unknown): value is UtcDate {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export function utcDateOf(instant: Date | string): UtcDate {
  return new Date(instant).toISOString().slice(0, 10);
}

export function addDays(date: UtcDate, days: number): UtcDate {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Monday to Sunday of the ISO week holding `date`. */
export function isoWeekOf(date: UtcDate): { from: UtcDate; to: UtcDate } {
  const weekday = (new Date(`${date}T00:00:00.000Z`).getUTCDay() + 6) % 7;
  const from = addDays(date, -weekday);
  return { from, to: addDays(from, 6) };
}

/** The first and last day of the calendar month holding `date`. */
export function monthOf(date: UtcDate): { from: UtcDate; to: UtcDate } {
  const from = `${date.slice(0, 7)}-01`;
  const next = new Date(`${from}T00:00:00.000Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { from, to: addDays(next.toISOString().slice(0, 10), -1) };
}
