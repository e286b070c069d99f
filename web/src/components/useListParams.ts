import { useCallback, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The search params as they are now. React Router hands a functional update the params of the
 * last render, not of the last update (documented; remix-run/react-router#9757, #14491): two
 * filters changed before a re-render kept only the second — an officer choosing a service and
 * then "unassigned" quickly lost the service. The address bar is always current.
 */
const latest = (prev: URLSearchParams) => new URLSearchParams(typeof window === 'undefined' ? prev : window.location.search);

/**
 * List state (filters, sort, page) kept in the URL, so lists can be linked and survive reloads.
 * Changing any filter goes back to page 1. `keys` and `defaults` are read once.
 */
export function useListParams<K extends string>(keys: readonly K[], defaults: Partial<Record<K, string>> = {}) {
  const [params, setParams] = useSearchParams();
  const config = useRef({ keys, defaults }).current;

  const values = useMemo(() => {
    const out = {} as Record<K, string>;
    for (const k of config.keys) out[k] = params.get(k) ?? config.defaults[k] ?? '';
    return out;
  }, [params, config]);
  const page = Math.max(1, Number(params.get('page')) || 1);

  const set = useCallback(
    (patch: Partial<Record<K, string>>) => {
      setParams(
        (prev) => {
          const next = latest(prev);
          for (const [k, v] of Object.entries(patch) as [K, string | undefined][]) {
            if (v === undefined || v === '' || v === config.defaults[k]) next.delete(k);
            else next.set(k, v);
          }
          next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams, config],
  );

  const setPage = useCallback(
    (p: number) => {
      setParams((prev) => {
        const next = latest(prev);
        if (p <= 1) next.delete('page');
        else next.set('page', String(p));
        return next;
      });
    },
    [setParams],
  );

  return { values, page, set, setPage };
}
