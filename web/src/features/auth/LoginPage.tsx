import { Alert, Button, Divider, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { request } from '../../api.ts';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { homeFor, useLogin, useSession } from './auth.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('auth.title'));
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { user } = useSession();
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  const oidc = useQuery({ queryKey: ['auth', 'oidc'], queryFn: () => request<{ enabled: boolean; loginUrl: string | null }>('/api/auth/oidc') });
  const oidcError = params.get('error');

  useEffect(() => {
    if (login.isSuccess) navigate(safeNext(params.get('next')) ?? homeFor(login.data.user), { replace: true });
  }, [login.isSuccess, login.data, navigate, params]);

  if (user && !login.isSuccess) return <Navigate to={homeFor(user)} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m = {
      username: username.trim() ? undefined : t('validation.required'),
      password: password ? undefined : t('validation.required'),
    };
    setMissing(m);
    if (m.username || m.password) return;
    login.mutate({ username: username.trim(), password });
  };

  return (
    <Paper withBorder shadow="sm" p="xl" maw={420} mx="auto" mt="xl">
      <Title order={1} size="h2" mb="md">
        {t('auth.title')}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack>
          {login.isError ? <ErrorAlert error={login.error} /> : null}
          <TextInput
            label={t('auth.username')}
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            error={missing.username}
            withAsterisk
            autoFocus
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={missing.password}
            withAsterisk
          />
          <Button type="submit" loading={login.isPending}>
            {t('auth.signIn')}
          </Button>
        </Stack>
      </form>
      {oidc.data?.enabled && oidc.data.loginUrl ? (
        <Stack mt="md">
          <Divider label={t('auth.or')} labelPosition="center" />
          {oidcError ? <Alert color="red">{t(`errors.${oidcError}`, { defaultValue: t('errors.generic') })}</Alert> : null}
          <Button component="a" variant="outline" href={`${oidc.data.loginUrl}?returnTo=${encodeURIComponent(safeNext(params.get('next')) ?? '/')}`}>
            {t('auth.nationalId')}
          </Button>
        </Stack>
      ) : null}
    </Paper>
  );
}
