import type { TFunction } from 'i18next';
import { APPLICATION_STATUSES } from '../../types.ts';

/** Options for a status filter, with "all" first. */
export function statusOptions(t: TFunction) {
  return [
    { value: '', label: t('filters.allStatuses') },
    ...APPLICATION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
  ];
}
