import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/auth.ts';

/**
 * The signed-in staff member's own center for pages that act for one center (operator console,
 * volunteer tablet, manager's hall), or an alert that their account has none.
 */
export function StaffCenter({ children }: { children: (centerCode: string) => ReactNode }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const centerCode = user?.centerCode ?? '';
  if (!centerCode) {
    return (
      <Alert color="orange" role="alert">
        {t('queue.noCenter')}
      </Alert>
    );
  }
  return <>{children(centerCode)}</>;
}
