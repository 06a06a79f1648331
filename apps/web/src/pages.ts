import type { ComponentType } from 'react';
import type { Role } from './session';

export interface PageProps {
  /** The path's parameters, e.g. `showId` of `/ticketing/shows/:showId`. */
  params: Record<string, string>;
  query: URLSearchParams;
}

/** One page of the app: its address after `#`, who may open it, and its entry in the menu. */
export interface PageDef {
  path: string;
  title: string;
  Component: ComponentType<PageProps>;
  /** Roles that may open it; every logged-in user when unset. */
  roles?: readonly Role[];
  /** Its label in the menu; pages without one are reached by links (a show, an order). */
  nav?: string;
  /** Open without logging in (log in, sign up). */
  public?: boolean;
}

/** A context's pages, one group of the menu. */
export interface Area {
  label: string;
  pages: PageDef[];
}
