import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { api, storedSession, storeSession, whenSignedOut } from './api';

export type Role = 'admin' | 'manager' | 'accountant' | 'worker' | 'customer';

/** Everyone but customers: the task tracker and accounting are the staff's (customers have no account there). */
export const STAFF: readonly Role[] = ['admin', 'manager', 'accountant', 'worker'];

export interface Me {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

export interface Beak {
  length: number;
  depth: number;
  width: number;
  curvature: number;
}

interface SessionValue {
  /** Who is logged in; null when nobody is. */
  me: Me | null;
  loading: boolean;
  logIn(email: string, beak: Beak): Promise<void>;
  logOut(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [signedIn, setSignedIn] = useState(() => storedSession() !== null);
  const me = useQuery({ queryKey: ['auth', 'me', signedIn], queryFn: () => api.get<Me>('/auth/me'), enabled: signedIn, staleTime: 60_000 });
  useEffect(() => whenSignedOut(() => setSignedIn(false)), []);
  const value: SessionValue = {
    me: signedIn ? (me.data ?? null) : null,
    loading: signedIn && me.isPending,
    async logIn(email, beak) {
      const answer = await api.post<{ accessToken: string; refreshToken: string }>('/auth/login', { email, beak });
      storeSession({ accessToken: answer.accessToken, refreshToken: answer.refreshToken });
      client.clear();
      setSignedIn(true);
    },
    async logOut() {
      // The refresh token as it is when sent: a retry after a refresh must end the new one.
      if (storedSession()) await api.post('/auth/logout', () => ({ refreshToken: storedSession()?.refreshToken })).catch(() => undefined);
      storeSession(null);
      client.clear();
      setSignedIn(false);
    },
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The logged-in user; pages are only rendered for one. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a logged-in user');
  return me;
}

export function hasRole(me: Me | null, roles: readonly Role[] | undefined): boolean {
  return !roles || (!!me && roles.includes(me.role));
}
