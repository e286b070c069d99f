import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError, IdempotencyKeys } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useL } from '../../components/format.ts';
import { Loading } from '../../components/QueryState.tsx';
import { ServiceForm } from '../../components/ServiceForm.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import type { Application } from '../../types.ts';
import { useSession } from '../auth/auth.ts';
import { useService } from '../catalog/queries.ts';

/**
 * Apply for a service: `/services/:code/apply` (citizen for themselves) and
 * `/operator/citizens/:citizenId/apply/:code` (staff on a citizen's behalf).
 */
export function ApplyPage() {
  const { t } = useTranslation();
  const l = useL();
  const { code, citizenId: citizenParam } = useParams();
  const citizenId = citizenParam ? Number(citizenParam) : undefined;
  const onBehalf = citizenId !== undefined;
  const { user } = useSession();
  const qc = useQueryClient();

  const service = useService(code);
  const prefill = useQuery({
    queryKey: ['prefill', code, citizenId ?? 'me'],
    queryFn: () => api.prefill(code as string, citizenId),
    enabled: Boolean(code),
    staleTime: 0,
    gcTime: 0,
  });
  const citizen = useQuery({
    queryKey: ['citizens', citizenId],
    queryFn: () => api.citizen(citizenId as number),
    enabled: onBehalf,
  });
  usePageTitle(service.data ? `${t('apply.title')}: ${l(service.data.name)}` : t('apply.title'));

  const keys = useRef(new IdempotencyKeys());
  const submit = useMutation({
    mutationFn: (data: Record<string, unknown>) => {
      const body = {
        serviceCode: code as string,
        data,
        ...(onBehalf ? { citizenId } : {}),
        ...(onBehalf && user?.centerCode ? { centerCode: user.centerCode } : {}),
      };
      return api.createApplication(body, keys.current.keyFor(body));
    },
    onSuccess: () => {
      keys.current.reset();
      void qc.invalidateQueries({ queryKey: ['applications'] });
    },
    onError: (err) => {
      // Keep the key only where the outcome is unknown (network, 5xx, rate limit), so a retry is safe.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) keys.current.reset();
    },
  });

  if (service.isPending || prefill.isPending || (onBehalf && citizen.isPending)) return <Loading />;
  if (service.isError) return <ErrorAlert error={service.error} />;
  if (prefill.isError) return <ErrorAlert error={prefill.error} />;
  if (onBehalf && citizen.isError) return <ErrorAlert error={citizen.error} />;
  const s = service.data;

  if (submit.isSuccess) return <Submitted app={submit.data} onBehalf={onBehalf} />;

  const serverErrors = submit.error instanceof ApiError ? submit.error.fieldErrors('/data/') : {};
  const person = citizen.data;

  return (
    <Stack gap="lg" maw={720}>
      <div>
        <Text size="sm" c="dimmed">
          {t('apply.title')}
        </Text>
        <Title order={1}>{l(s.name)}</Title>
      </div>
      {onBehalf && person ? (
        <Alert color="grape" variant="light" title={t('apply.onBehalfTitle')}>
          {t('apply.onBehalf', { name: `${person.lastName} ${person.firstName}`, fin: person.fin })}
        </Alert>
      ) : null}
      {s.proactive ? (
        <Alert color="teal">{t('service.proactiveNote')}</Alert>
      ) : (
        <Paper withBorder p="lg">
          {submit.isError ? (
            <Stack mb="md">
              <ErrorAlert
                error={submit.error}
                shownFields={s.form.fields.filter((f) => !f.prefill).map((f) => `/data/${f.name}`)}
              />
            </Stack>
          ) : null}
          <ServiceForm
            fields={s.form.fields}
            prefill={prefill.data.values}
            serverErrors={serverErrors}
            submitting={submit.isPending}
            submitLabel={t('apply.submit')}
            onSubmit={(data) => submit.mutate(data)}
          />
        </Paper>
      )}
    </Stack>
  );
}

function Submitted({ app, onBehalf }: { app: Application; onBehalf: boolean }) {
  const { t } = useTranslation();
  const detail = onBehalf
    ? `/officer/cases/${encodeURIComponent(app.reference)}`
    : `/my/applications/${encodeURIComponent(app.reference)}`;
  return (
    <Paper withBorder p="xl" maw={640}>
      <Stack>
        <Title order={1} size="h2">
          {t('apply.submittedTitle')}
        </Title>
        <Text role="status">
          {t('apply.reference')}:{' '}
          <Text span fw={700} ff="monospace" data-testid="reference">
            {app.reference}
          </Text>
        </Text>
        <Text c="dimmed">{t('apply.submittedText')}</Text>
        <Group>
          <Button component={Link} to={detail}>
            {t('apply.viewApplication')}
          </Button>
          {onBehalf ? (
            <Anchor component={Link} to="/operator">
              {t('apply.backToOperator')}
            </Anchor>
          ) : (
            <Anchor component={Link} to="/my/applications">
              {t('nav.myApplications')}
            </Anchor>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
