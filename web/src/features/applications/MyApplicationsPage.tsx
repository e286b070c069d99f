import { Anchor, Group, NativeSelect, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AssistedBadge, SlaBadge, StatusBadge } from '../../components/badges.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { useFormat, useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { useListParams } from '../../components/useListParams.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import type { ApplicationSummary } from '../../types.ts';
import { useMyApplications } from './queries.ts';
import { statusOptions } from './statusOptions.ts';

const PAGE_SIZE = 20;

export function MyApplicationsPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.myApplications'));
  const l = useL();
  const fmt = useFormat();
  const { values, page, set, setPage } = useListParams(['status'] as const);
  const query = useMyApplications({ status: values.status || undefined, page, pageSize: PAGE_SIZE });

  return (
    <Stack gap="lg">
      <Title order={1}>{t('nav.myApplications')}</Title>
      <Group>
        <NativeSelect
          label={t('filters.status')}
          value={values.status}
          onChange={(e) => set({ status: e.currentTarget.value })}
          data={statusOptions(t)}
        />
      </Group>
      <QueryState query={query}>
        {(data) => (
          <DataTable<ApplicationSummary>
            caption={t('nav.myApplications')}
            rows={data.items}
            rowKey={(r) => r.reference}
            empty={t('applications.none')}
            paging={{ page: data.page, pageSize: data.pageSize, total: data.total, onPageChange: setPage }}
            columns={[
              {
                key: 'reference',
                header: t('applications.reference'),
                render: (r) => (
                  <Anchor component={Link} to={`/my/applications/${encodeURIComponent(r.reference)}`} ff="monospace">
                    {r.reference}
                  </Anchor>
                ),
              },
              { key: 'service', header: t('applications.service'), render: (r) => l(r.serviceName) },
              {
                key: 'status',
                header: t('applications.status'),
                render: (r) => (
                  <Group gap={4}>
                    <StatusBadge status={r.status} />
                    {r.assisted ? <AssistedBadge /> : null}
                  </Group>
                ),
              },
              { key: 'sla', header: t('applications.sla'), render: (r) => <SlaBadge state={r.slaState} workingDaysLeft={r.workingDaysLeft} /> },
              { key: 'submitted', header: t('applications.submittedAt'), render: (r) => fmt.date(r.submittedAt) },
            ]}
          />
        )}
      </QueryState>
    </Stack>
  );
}
