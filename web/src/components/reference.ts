import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../api.ts';
import { useL } from './format.ts';

const DAY = 24 * 60 * 60_000;

/** DOST centers (reference data, cached for the session). */
export function useCenters() {
  return useQuery({ queryKey: ['reference', 'centers'], queryFn: api.centers, staleTime: DAY });
}

/** Regions with their districts (reference data, cached for the session). */
export function useRegions() {
  return useQuery({ queryKey: ['reference', 'regions'], queryFn: api.regions, staleTime: DAY });
}

/** Turns a district code into its name in the current language (the code until loaded). */
export function useDistrictName(): (code: string | null | undefined) => string {
  const l = useL();
  const regions = useRegions();
  return useCallback(
    (code) => {
      if (!code) return '—';
      for (const r of regions.data?.items ?? []) {
        const d = r.districts.find((x) => x.code === code);
        if (d) return l(d.name);
      }
      return code;
    },
    [regions.data, l],
  );
}
