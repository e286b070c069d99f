import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { ActionInput, Application } from '../../types.ts';

export function useApplication(reference: string | undefined) {
  return useQuery({
    queryKey: ['applications', 'one', reference],
    queryFn: () => api.application(reference as string),
    enabled: Boolean(reference),
  });
}

export function useMyApplications(params: { status?: string; page: number; pageSize: number }) {
  return useQuery({
    queryKey: ['applications', 'mine', params],
    queryFn: () => api.myApplications(params),
    placeholderData: keepPreviousData,
  });
}

/** The last action's sequence number, for optimistic concurrency on the next action. */
export function lastSeq(app: Application): number | undefined {
  return app.actions.length ? Math.max(...app.actions.map((a) => a.seq)) : undefined;
}

/** Takes a workflow action on an application and refreshes every view of it. */
export function useApplicationAction(reference: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ActionInput) => api.act(reference, input),
    onSuccess: (app) => {
      qc.setQueryData(['applications', 'one', reference], app);
      void qc.invalidateQueries({ queryKey: ['applications'], predicate: (q) => q.queryKey[1] !== 'one' });
    },
    onError: () => {
      // A conflict means our copy is stale; show the current state.
      void qc.invalidateQueries({ queryKey: ['applications', 'one', reference] });
    },
  });
}
