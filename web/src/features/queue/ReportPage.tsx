import { Group, Stack, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { DataTable, type Column } from '../../components/DataTable.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useSession } from '../auth/auth.ts';
import { queueApi, type Figures } from './queueApi.ts';

const num = (v: number | null, digits = 1) => (v == null ? '—' : v.toFixed(digits));

/** Daily figures of a center: served, waits, service times, no-shows, satisfaction; per service and operator. */
export function ReportPage() {
  const { t } = useTranslation();
  usePageTitle(t('queue.report.title'));
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const centerCode = params.get('center') ?? user?.centerCode ?? 'BAKU-1';
  const date = params.get('date') ?? '';
  const report = useQuery({ queryKey: ['queue', 'report', centerCode, date], queryFn: () => queueApi.report(centerCode, date || undefined) });

  const figureColumns = <T extends Figures>(): Column<T>[] => [
    { key: 'issued', header: t('queue.report.issued'), render: (r) => r.issued },
    { key: 'served', header: t('queue.report.served'), render: (r) => r.served },
    { key: 'avgWait', header: t('queue.report.avgWait'), render: (r) => num(r.avgWaitMinutes) },
    { key: 'p90Wait', header: t('queue.report.p90Wait'), render: (r) => num(r.p90WaitMinutes) },
    { key: 'avgService', header: t('queue.report.avgService'), render: (r) => num(r.avgServiceMinutes) },
    { key: 'p90Service', header: t('queue.report.p90Service'), render: (r) => num(r.p90ServiceMinutes) },
    { key: 'noShows', header: t('queue.report.noShows'), render: (r) => r.noShows },
    { key: 'satisfied', header: t('queue.report.satisfied'), render: (r) => (r.satisfiedPct == null ? '—' : `${num(r.satisfiedPct)} %`) },
    { key: 'ratings', header: t('queue.report.ratings'), render: (r) => (r.avgRating == null ? r.ratings : `${r.ratings} · ${num(r.avgRating, 2)}`) },
  ];

  return (
    <Stack gap="lg">
      <Title order={1}>{t('queue.report.title')}</Title>
      <Group align="flex-end">
        <TextInput
          label={t('queue.report.center')}
          defaultValue={centerCode}
          onBlur={(e) => setParams((p) => ({ ...Object.fromEntries(p), center: e.currentTarget.value.toUpperCase() }), { replace: true })}
          w={180}
        />
        <TextInput
          type="date"
          label={t('queue.report.date')}
          value={date}
          onChange={(e) => setParams((p) => ({ ...Object.fromEntries(p), date: e.currentTarget.value }), { replace: true })}
          w={200}
        />
      </Group>
      <QueryState query={report}>
        {(r) => (
          <>
            <Section title={t('queue.report.total', { date: r.date })}>
              <DataTable<Figures> caption={t('queue.report.total', { date: r.date })} rows={[r.total]} rowKey={() => 'total'} columns={figureColumns<Figures>()} />
            </Section>
            <Section title={t('queue.report.byService')}>
              <DataTable<Figures & { serviceCode: string }>
                caption={t('queue.report.byService')}
                rows={r.byService}
                rowKey={(x) => x.serviceCode}
                columns={[{ key: 'svc', header: t('queue.console.service'), render: (x) => x.serviceCode }, ...figureColumns<Figures & { serviceCode: string }>()]}
              />
            </Section>
            <Section title={t('queue.report.byOperator')}>
              <DataTable<Figures & { operatorUserId: string; operatorName: string | null }>
                caption={t('queue.report.byOperator')}
                rows={r.byOperator}
                rowKey={(x) => x.operatorUserId}
                columns={[
                  { key: 'op', header: t('queue.report.operator'), render: (x) => x.operatorName ?? x.operatorUserId.slice(0, 8) },
                  ...figureColumns<Figures & { operatorUserId: string; operatorName: string | null }>(),
                ]}
              />
            </Section>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
