import { Alert, Anchor, Button, Grid, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api.ts';
import { AssistedBadge, SlaBadge, StatusBadge } from '../../components/badges.tsx';
import { CitizenRecord } from '../../components/CitizenRecord.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { useFormat, useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { FIN_RE } from '../../components/validation.ts';
import type { ApplicationSummary, Citizen } from '../../types.ts';
import { useAllServices } from '../catalog/queries.ts';

/** Front office: find a citizen by FIN, see their record and applications, apply on their behalf. */
export function OperatorPage() {
  const { t } = useTranslation();
  usePageTitle(t('operator.title'));
  const [params, setParams] = useSearchParams();
  const fin = params.get('fin') ?? '';
  const [input, setInput] = useState(fin);
  const [error, setError] = useState<string>();

  const found = useQuery({
    queryKey: ['citizens', 'byFin', fin],
    queryFn: async () => {
      const res = await api.findCitizens(fin);
      const first = res.items[0];
      return first ? api.citizen(first.id) : null;
    },
    enabled: FIN_RE.test(fin),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = input.trim().toUpperCase();
    if (!FIN_RE.test(value)) {
      setError(t('validation.fin'));
      return;
    }
    setError(undefined);
    setParams({ fin: value });
  };

  return (
    <Stack gap="lg">
      <Title order={1}>{t('operator.title')}</Title>
      <form onSubmit={submit} noValidate role="search" aria-label={t('operator.findCitizen')}>
        <Group align="flex-start">
          <TextInput
            label={t('operator.fin')}
            description={t('operator.finHelp')}
            value={input}
            onChange={(e) => {
              setInput(e.currentTarget.value.toUpperCase());
              setError(undefined);
            }}
            error={error}
            maxLength={7}
            autoComplete="off"
            spellCheck={false}
            styles={{ input: { fontFamily: 'monospace', textTransform: 'uppercase' } }}
            w={260}
          />
          <Button type="submit" mt={24}>
            {t('operator.find')}
          </Button>
        </Group>
      </form>
      {fin && FIN_RE.test(fin) ? (
        <QueryState query={found}>
          {(citizen) =>
            citizen ? (
              <CitizenWorkspace citizen={citizen} />
            ) : (
              <Alert color="orange" role="alert" title={t('operator.notFoundTitle')}>
                {t('operator.notFound', { fin })}
              </Alert>
            )
          }
        </QueryState>
      ) : null}
    </Stack>
  );
}

function CitizenWorkspace({ citizen }: { citizen: Citizen }) {
  const { t } = useTranslation();
  const l = useL();
  const fmt = useFormat();
  const navigate = useNavigate();
  const services = useAllServices();
  const [serviceCode, setServiceCode] = useState('');
  const [serviceError, setServiceError] = useState<string>();
  const apps = useQuery({
    queryKey: ['applications', 'inbox', { citizenId: citizen.id }],
    queryFn: async () => (await api.inbox({ citizenId: citizen.id, pageSize: 100, sort: '-submittedAt' })).items,
  });
  // Staff submit through the center or call-center channel.
  const applicable = (services.data ?? []).filter(
    (s) => !s.proactive && (s.channels.includes('center') || s.channels.includes('call_center')),
  );

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!serviceCode) {
      setServiceError(t('validation.required'));
      return;
    }
    navigate(`/operator/citizens/${citizen.id}/apply/${encodeURIComponent(serviceCode)}`);
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Section title={t('operator.person')}>
          <CitizenRecord citizen={citizen} />
        </Section>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Stack gap="lg">
          <Section title={t('operator.applyOnBehalf')}>
            <form onSubmit={apply} noValidate>
              <Stack>
                <NativeSelect
                  label={t('operator.service')}
                  value={serviceCode}
                  withAsterisk
                  error={serviceError}
                  onChange={(e) => {
                    setServiceCode(e.currentTarget.value);
                    setServiceError(undefined);
                  }}
                  data={[
                    { value: '', label: t('form.choose') },
                    ...applicable.map((s) => ({ value: s.code, label: l(s.name) })),
                  ]}
                />
                <Group>
                  <Button type="submit" disabled={Boolean(citizen.deathDate)}>
                    {t('operator.startApplication')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Section>
          <Section title={t('operator.applications')}>
            <QueryState query={apps}>
              {(rows) => (
                <DataTable<ApplicationSummary>
                  caption={t('operator.applications')}
                  rows={rows}
                  rowKey={(r) => r.reference}
                  empty={t('applications.none')}
                  columns={[
                    {
                      key: 'reference',
                      header: t('applications.reference'),
                      render: (r) => (
                        <Anchor component={Link} to={`/officer/cases/${encodeURIComponent(r.reference)}`} ff="monospace" size="sm">
                          {r.reference}
                        </Anchor>
                      ),
                    },
                    { key: 'service', header: t('applications.service'), render: (r) => l(r.serviceName) },
                    {
                      key: 'status',
                      header: t('applications.status'),
                      render: (r) => (
                        <Stack gap={2} align="flex-start">
                          <StatusBadge status={r.status} />
                          {r.assisted ? <AssistedBadge /> : null}
                          <SlaBadge state={r.slaState} workingDaysLeft={r.workingDaysLeft} />
                        </Stack>
                      ),
                    },
                    { key: 'submitted', header: t('applications.submittedAt'), render: (r) => fmt.date(r.submittedAt) },
                  ]}
                />
              )}
            </QueryState>
            <Text size="xs" c="dimmed" mt="xs">
              {t('operator.applicationsNote')}
            </Text>
          </Section>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
