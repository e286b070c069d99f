import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DataTable } from '../../components/DataTable.tsx';
import { useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { queueApi, type WaitTime } from './queueApi.ts';

/** Public: current waiting times per center. */
export function WaitTimesPage() {
  const { t } = useTranslation();
  usePageTitle(t('queue.waitTimes.title'));
  const l = useL();
  const times = useQuery({ queryKey: ['queue', 'wait-times'], queryFn: queueApi.waitTimes, refetchInterval: 60_000 });
  return (
    <Stack gap="lg">
      <Title order={1}>{t('queue.waitTimes.title')}</Title>
      <Text c="dimmed">{t('queue.waitTimes.intro')}</Text>
      <QueryState query={times}>
        {(rows) => (
          <DataTable<WaitTime>
            caption={t('queue.waitTimes.title')}
            rows={rows}
            rowKey={(r) => r.centerCode}
            columns={[
              { key: 'center', header: t('queue.appointment.center'), render: (r) => l(r.name) },
              { key: 'kind', header: t('queue.waitTimes.kind'), render: (r) => t(`queue.centerKind.${r.kind}`, { defaultValue: r.kind }) },
              { key: 'waiting', header: t('queue.hall.waiting'), render: (r) => r.waiting },
              { key: 'windows', header: t('queue.hall.windowsOpen'), render: (r) => r.windowsOpen },
              {
                key: 'estimate',
                header: t('queue.waitTimes.estimate'),
                render: (r) => (r.estimatedWaitMinutes == null ? '—' : t('queue.minutes', { count: r.estimatedWaitMinutes })),
              },
              {
                key: 'board',
                header: t('queue.waitTimes.board'),
                render: (r) => (
                  <Anchor component={Link} to={`/queue/board/${r.centerCode}`} size="sm">
                    {t('queue.waitTimes.board')}
                  </Anchor>
                ),
              },
            ]}
          />
        )}
      </QueryState>
    </Stack>
  );
}
