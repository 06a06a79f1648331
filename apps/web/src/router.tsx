import { type AnchorHTMLAttributes, useSyncExternalStore } from 'react';

/**
 * The app's addresses live after `#` (`/#/tasks/mine`), so they never meet an API path:
 * `/tasks` stays the API's, `/#/tasks` is the page. A reload or a bookmark opens the same page.
 */
export interface Location {
  path: string;
  query: URLSearchParams;
}

function current(): string {
  return window.location.hash.replace(/^#/, '') || '/';
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useLocation(): Location {
  const raw = useSyncExternalStore(subscribe, current);
  const [path = '/', search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

export function navigate(to: string): void {
  window.location.hash = to;
}

/** `to` with `query` appended (empty values left out). */
export function href(to: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => !!entry[1]));
  const search = params.toString();
  return search ? `${to}?${search}` : to;
}

/**
 * What a parameter may hold: ids, seat ids, branches, stream names. Pages put parameters into API
 * paths, so one that could leave its segment there (a `/`, a `%`, `?`, `#`, or only dots, which
 * the browser folds into `..`) makes the address match nothing, rather than send the user's token
 * to another API path.
 */
const SAFE_PARAMETER = /^(?!\.+$)[\w.:~@$+=,;!-]+$/;

/** Matches `/shows/:showId` against `/shows/42` → `{ showId: '42' }`, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const actual = have[index]!;
    if (part.startsWith(':')) {
      const value = safeDecode(actual);
      if (value === null || !SAFE_PARAMETER.test(value)) return null;
      params[part.slice(1)] = value;
    }
    else if (part !== actual) return null;
  }
  return params;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function Link({ to, ...props }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { path } = useLocation();
  return <a href={`#${to}`} aria-current={path === to.split('?')[0] ? 'page' : undefined} {...props} />;
}
