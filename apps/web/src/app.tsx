import { useEffect, useState, useSyncExternalStore } from 'react';
import { laggingState } from './api';
import { areas } from './contexts';
import type { PageDef } from './pages';
import { Link, match, navigate, useLocation } from './router';
import { hasRole, type Me, useSession } from './session';
import { Page, Spinner } from './ui';

function Home({ me }: { me: Me }) {
  return (
    <Page title={`Hello, ${me.name}`}>
      <p>
        You are logged in as <strong>{me.role}</strong>. Everything you may do is in the menu.
      </p>
      <ul className="tiles">
        {areas.flatMap((area) =>
          area.pages
            .filter((page) => page.nav && hasRole(me, page.roles))
            .slice(0, 1)
            .map((page) => (
              <li key={page.path}>
                <Link to={page.path}>{area.label}</Link>
              </li>
            )),
        )}
      </ul>
    </Page>
  );
}

function Menu({ me }: { me: Me }) {
  const { logOut } = useSession();
  const { path } = useLocation();
  // At phone width the menu folds behind a button; it folds again once a page is chosen.
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  return (
    <nav aria-label="Main" className="menu">
      <Link to="/" className="brand">
        UberPopug
      </Link>
      <button type="button" className="menu-toggle" aria-expanded={open} aria-controls="menu-groups" onClick={() => setOpen(!open)}>
        Menu
      </button>
      <div id="menu-groups" className={open ? 'menu-groups open' : 'menu-groups'}>
        {areas.map((area) => {
          const pages = area.pages.filter((page) => page.nav && hasRole(me, page.roles));
          if (pages.length === 0) return null;
          return (
            <div className="menu-group" key={area.label}>
              <span className="menu-label">{area.label}</span>
              <ul>
                {pages.map((page) => (
                  <li key={page.path}>
                    <Link to={page.path}>{page.nav}</Link>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      <div className="menu-user">
        <span>
          {me.name} ({me.role})
        </span>
        <button type="button" onClick={() => void logOut().then(() => navigate('/login'))}>
          Log out
        </button>
      </div>
    </nav>
  );
}

function CatchingUp() {
  const lagging = useSyncExternalStore(laggingState.subscribe, laggingState.get);
  return (
    <div role="status" aria-live="polite" className={lagging ? 'lagging' : 'lagging hidden'}>
      {lagging ? 'Still catching up, retrying…' : ''}
    </div>
  );
}

function find(path: string): { page: PageDef; params: Record<string, string> } | null {
  for (const area of areas)
    for (const page of area.pages) {
      const params = match(page.path, path);
      if (params) return { page, params };
    }
  return null;
}

export function App() {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <Spinner />;
  const found = find(location.path);
  if (!me && !found?.page.public) {
    if (location.path !== '/login') navigate('/login');
    return null;
  }
  let content;
  if (location.path === '/' && me) content = <Home me={me} />;
  else if (!found) content = <Page title="Page not found">There is no page at this address.</Page>;
  else if (!hasRole(me, found.page.roles))
    content = <Page title={found.page.title}>This page is for {found.page.roles?.join(', ')} only.</Page>;
  else content = <found.page.Component params={found.params} query={location.query} />;
  return (
    <>
      <a href="#main" className="skip" onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header>{me ? <Menu me={me} /> : <span className="brand">UberPopug</span>}</header>
      <CatchingUp />
      <main id="main" tabIndex={-1}>
        {content}
      </main>
    </>
  );
}
