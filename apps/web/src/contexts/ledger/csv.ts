import type { Posting } from './types';

/** The columns a batch file must have, in any order; `traceKey` may be added. */
export const CSV_COLUMNS = ['branch', 'account', 'amount', 'debitCredit', 'eventCode', 'description', 'dateRef'] as const;

/** Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes as "" and line breaks). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((fields) => fields.some((value) => value.trim() !== ''));
}

export interface ParsedBatch {
  items: (Posting & { row: number })[];
  problems: string[];
}

/**
 * A batch file as postings: the header names the columns; a missing trace key is generated. Values
 * are sent as written (the amount stays text): the API judges each item and says what is wrong.
 */
export function parseBatch(text: string, newKey: () => string): ParsedBatch {
  const rows = csvRows(text);
  const [header, ...lines] = rows;
  if (!header) return { items: [], problems: ['The file is empty.'] };
  const names = header.map((name) => name.trim());
  const missing = CSV_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length) return { items: [], problems: [`The header lacks ${missing.join(', ')}. It must name: ${CSV_COLUMNS.join(',')} (and optionally traceKey).`] };
  const problems: string[] = [];
  const items = lines.map((fields, index) => {
    const row = index + 1;
    if (fields.length !== names.length) problems.push(`Posting ${row} has ${fields.length} fields, the header ${names.length}.`);
    const value = (column: string) => (fields[names.indexOf(column)] ?? '').trim();
    const eventCode = value('eventCode');
    return {
      row,
      traceKey: value('traceKey') || newKey(),
      branch: value('branch'),
      account: value('account'),
      amount: value('amount'),
      debitCredit: value('debitCredit').toUpperCase(),
      eventCode: /^[0-9]{1,5}$/.test(eventCode) ? Number(eventCode) : eventCode,
      description: value('description'),
      dateRef: value('dateRef'),
    };
  });
  if (items.length === 0) problems.push('The file has a header but no posting.');
  if (items.length > 1000) problems.push(`A batch takes at most 1000 postings; this file has ${items.length}.`);
  return { items, problems };
}
