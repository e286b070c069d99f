import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/QueryState.tsx';
import type { Role } from '../../types.ts';
import { hasRole, useSession } from './auth.ts';

/** Shows its children to a signed-in user with one of the roles; sends others to sign in. */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const { user, isPending, error } = useSession();
  const location = useLocation();
  if (isPending) return <Loading />;
  if (error) return <ErrorAlert error={error} />;
  if (!user) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (!hasRole(user, ...roles)) {
    return (
      <Alert color="orange" title={t('errors.FORBIDDEN')} role="alert">
        {t('auth.forbidden')}
      </Alert>
    );
  }
  return <>{children}</>;
}
