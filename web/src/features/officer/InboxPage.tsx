import { Anchor, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { AssistedBadge, SlaBadge, StatusBadge } from '../../components/badges.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { useFormat, useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { useCenters } from '../../components/reference.ts';
import { useListParams } from '../../components/useListParams.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import type { ApplicationSummary } from '../../types.ts';
import { statusOptions } from '../applications/statusOptions.ts';
import { useAllServices } from '../catalog/queries.ts';

const PAGE_SIZE = 20;
const FILTERS = ['service', 'status', 'center', 'assignee', 'sla', 'q', 'sort'] as const;

/** The back-office inbox of applications. */
export function InboxPage() {
  const { t } = useTranslation();
  usePageTitle(t('inbox.title'));
  const l = useL();
  const fmt = useFormat();
  const { values, page, set, setPage } = useListParams(FILTERS, { sort: 'slaDueOn' });
  const [q, setQ] = useState(values.q);
  const pushQ = useDebouncedCallback((v: string) => set({ q: v.trim() }), 300);
  const services = useAllServices();
  const centers = useCenters();

  const params = {
    service: values.service || undefined,
    status: values.status || undefined,
    center: values.center || undefined,
    assignee: values.assignee || undefined,
    sla: values.sla || undefined,
    q: values.q || undefined,
    sort: values.sort,
    page,
    pageSize: PAGE_SIZE,
  };
  const inbox = useQuery({
    queryKey: ['applications', 'inbox', params],
    queryFn: () => api.inbox(params),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="lg">
      <Title order={1}>{t('inbox.title')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} role="search" aria-label={t('inbox.filters')}>
        <TextInput
          type="search"
          label={t('inbox.search')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            pushQ(e.currentTarget.value);
          }}
        />
        <NativeSelect
          label={t('filters.service')}
          value={values.service}
          onChange={(e) => set({ service: e.currentTarget.value })}
          data={[
            { value: '', label: t('filters.allServices') },
            ...(services.data ?? []).map((s) => ({ value: s.code, label: l(s.name) })),
          ]}
        />
        <NativeSelect
          label={t('filters.status')}
          value={values.status}
          onChange={(e) => set({ status: e.currentTarget.value })}
          data={statusOptions(t)}
        />
        <NativeSelect
          label={t('filters.center')}
          value={values.center}
          onChange={(e) => set({ center: e.currentTarget.value })}
          data={[
            { value: '', label: t('filters.allCenters') },
            ...(centers.data?.items ?? []).map((c) => ({ value: c.code, label: l(c.name) })),
          ]}
        />
        <NativeSelect
          label={t('filters.assignee')}
          value={values.assignee}
          onChange={(e) => set({ assignee: e.currentTarget.value })}
          data={[
            { value: '', label: t('filters.assigneeAll') },
            { value: 'me', label: t('filters.assigneeMe') },
            { value: 'unassigned', label: t('filters.assigneeUnassigned') },
          ]}
        />
        <NativeSelect
          label={t('filters.sla')}
          value={values.sla}
          onChange={(e) => set({ sla: e.currentTarget.value })}
          data={[
            { value: '', label: t('filters.slaAll') },
            { value: 'overdue', label: t('filters.slaOverdue') },
            { value: 'today', label: t('filters.slaToday') },
            { value: 'week', label: t('filters.slaWeek') },
          ]}
        />
        <NativeSelect
          label={t('filters.sort')}
          value={values.sort}
          onChange={(e) => set({ sort: e.currentTarget.value })}
          data={[
            { value: 'slaDueOn', label: t('filters.sortDeadline') },
            { value: '-slaDueOn', label: t('filters.sortDeadlineDesc') },
            { value: '-submittedAt', label: t('filters.sortNewest') },
            { value: 'submittedAt', label: t('filters.sortOldest') },
          ]}
        />
      </SimpleGrid>
      <QueryState query={inbox}>
        {(data) => (
          <div aria-busy={inbox.isFetching}>
            <DataTable<ApplicationSummary>
              caption={t('inbox.title')}
              rows={data.items}
              rowKey={(r) => r.reference}
              empty={t('inbox.empty')}
              paging={{ page: data.page, pageSize: data.pageSize, total: data.total, onPageChange: setPage }}
              columns={[
                {
                  key: 'reference',
                  header: t('applications.reference'),
                  render: (r) => (
                    <Anchor component={Link} to={`/officer/cases/${encodeURIComponent(r.reference)}`} ff="monospace">
                      {r.reference}
                    </Anchor>
                  ),
                },
                { key: 'citizen', header: t('applications.citizen'), render: (r) => r.citizenName },
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
                {
                  key: 'sla',
                  header: t('applications.sla'),
                  render: (r) => (
                    <Stack gap={2}>
                      <SlaBadge state={r.slaState} workingDaysLeft={r.workingDaysLeft} />
                      {r.slaDueOn ? (
                        <Text size="xs" c="dimmed">
                          {fmt.date(r.slaDueOn)}
                        </Text>
                      ) : null}
                    </Stack>
                  ),
                },
                {
                  key: 'assignee',
                  header: t('applications.assignee'),
                  render: (r) => r.assignedToName ?? <Text c="dimmed" size="sm">{t('applications.unassigned')}</Text>,
                },
                { key: 'submitted', header: t('applications.submittedAt'), render: (r) => fmt.date(r.submittedAt) },
              ]}
            />
          </div>
        )}
      </QueryState>
    </Stack>
  );
}
