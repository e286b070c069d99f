import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { Role, Session, User } from '../../types.ts';

export const ME_KEY = ['auth', 'me'] as const;

/** The signed-in user, or null. */
export function useSession() {
  const query = useQuery({ queryKey: ME_KEY, queryFn: api.me, staleTime: 5 * 60_000, retry: false });
  return { user: query.data?.user ?? null, isPending: query.isPending, error: query.error };
}

export function hasRole(user: User | null, ...roles: Role[]): boolean {
  return Boolean(user && user.roles.some((r) => roles.includes(r)));
}

/** Where a user lands after signing in. */
export function homeFor(user: User): string {
  if (hasRole(user, 'admin')) return '/admin/users';
  if (hasRole(user, 'officer', 'center_manager')) return '/officer';
  if (hasRole(user, 'operator', 'call_center_agent')) return '/operator';
  return '/';
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ username, password }: { username: string; password: string }) => api.login(username, password),
    onSuccess: (session: Session) => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'catalog' && q.queryKey[0] !== 'reference' });
      qc.setQueryData(ME_KEY, session);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.logout,
    onSettled: () => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'catalog' && q.queryKey[0] !== 'reference' });
      qc.setQueryData(ME_KEY, null);
    },
  });
}
