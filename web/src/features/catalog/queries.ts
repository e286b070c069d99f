import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { ServiceSummary } from '../../types.ts';

const DAY = 24 * 60 * 60_000;

export function useCategories() {
  return useQuery({ queryKey: ['catalog', 'categories'], queryFn: api.categories, staleTime: DAY });
}

export function useServices(params: { q?: string; category?: string; channel?: string; page: number; pageSize: number }) {
  return useQuery({
    queryKey: ['catalog', 'services', params],
    queryFn: () => api.services(params),
    placeholderData: keepPreviousData,
  });
}

export function useService(code: string | undefined) {
  return useQuery({
    queryKey: ['catalog', 'service', code],
    queryFn: () => api.service(code as string),
    enabled: Boolean(code),
    staleTime: 10 * 60_000,
  });
}

/** Every service (for pickers), fetched page by page at the API's maximum page size. */
export function useAllServices() {
  return useQuery({
    queryKey: ['catalog', 'services', 'all'],
    staleTime: DAY,
    queryFn: async (): Promise<ServiceSummary[]> => {
      const all: ServiceSummary[] = [];
      for (let page = 1; ; page++) {
        const res = await api.services({ page, pageSize: 100, sort: 'code' });
        all.push(...res.items);
        if (res.items.length === 0 || all.length >= res.total) return all;
      }
    },
  });
}
