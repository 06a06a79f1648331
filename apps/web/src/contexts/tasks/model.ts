import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { hasRole, type Me } from '../../session';

export type TaskStatus = 'open' | 'completed';

export interface Task {
  taskId: string;
  title: string;
  jiraId: string | null;
  description: string;
  status: TaskStatus;
  assigneeId: string | null;
  createdAt: string;
  completedAt: string | null;
}

export const PAGE_SIZE = 20;

export const STATUS_OPTIONS = [
  ['', 'Any status'],
  ['open', 'Open'],
  ['completed', 'Completed'],
] as const;

/** Roles that may read GET /users, and so see people's names. */
export const SEES_NAMES = ['admin', 'manager'] as const;

/** Everyone's names by user id, for those who may read GET /users; empty for everyone else. */
export function usePeople(me: Me) {
  const allowed = hasRole(me, SEES_NAMES);
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => api.get<Me[]>('/users'),
    enabled: allowed,
    staleTime: 60_000,
  });
  const byId = new Map((users.data ?? []).map((user) => [user.userId, user]));
  return {
    allowed,
    users,
    /** The assignee as a person reads it: their name where names may be seen, "me", or the id. */
    nameOf(userId: string | null): string {
      if (!userId) return 'nobody';
      if (userId === me.userId) return allowed ? `${me.name} (me)` : 'me';
      return byId.get(userId)?.name ?? userId;
    },
  };
}
