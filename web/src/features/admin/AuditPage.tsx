import { Button, Code, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { useFormat } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { useListParams } from '../../components/useListParams.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { FIN_RE } from '../../components/validation.ts';
import type { AuditEntry } from '../../types.ts';

const PAGE_SIZE = 50;
const FILTERS = ['fin', 'actor', 'action', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** Search the audit log of who read or changed what. */
export function AuditPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.audit'));
  const fmt = useFormat();
  const { values, page, set, setPage } = useListParams(FILTERS);
  const [draft, setDraft] = useState<Filters>(values);
  const [finError, setFinError] = useState<string>();

  const params = { ...values, page, pageSize: PAGE_SIZE };
  const audit = useQuery({
    queryKey: ['admin', 'audit', params],
    queryFn: () =>
      api.audit({
        fin: values.fin || undefined,
        actor: values.actor || undefined,
        action: values.action || undefined,
        from: values.from || undefined,
        to: values.to || undefined,
        page,
        pageSize: PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fin = draft.fin.trim().toUpperCase();
    if (fin && !FIN_RE.test(fin)) {
      setFinError(t('validation.fin'));
      return;
    }
    setFinError(undefined);
    set({ ...draft, fin, actor: draft.actor.trim(), action: draft.action.trim() });
  };
  const field = (k: keyof Filters) => ({
    value: draft[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value;
      setDraft((d) => ({ ...d, [k]: value }));
    },
  });

  return (
    <Stack gap="lg">
      <Title order={1}>{t('nav.audit')}</Title>
      <form onSubmit={submit} noValidate role="search" aria-label={t('audit.search')}>
        <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }} style={{ alignItems: 'end' }}>
          <TextInput label={t('audit.fin')} {...field('fin')} error={finError} maxLength={7} />
          <TextInput label={t('audit.actor')} {...field('actor')} />
          <TextInput label={t('audit.action')} {...field('action')} />
          <TextInput label={t('audit.from')} type="date" {...field('from')} />
          <TextInput label={t('audit.to')} type="date" {...field('to')} />
          <Group>
            <Button type="submit">{t('audit.searchButton')}</Button>
          </Group>
        </SimpleGrid>
      </form>
      <QueryState query={audit}>
        {(data) => (
          <DataTable<AuditEntry>
            caption={t('nav.audit')}
            rows={data.items}
            rowKey={(a) => a.id}
            empty={t('audit.empty')}
            paging={{ page: data.page, pageSize: data.pageSize, total: data.total, onPageChange: setPage }}
            columns={[
              { key: 'at', header: t('audit.at'), render: (a) => fmt.dateTime(a.at) },
              {
                key: 'actor',
                header: t('audit.actor'),
                render: (a) => (
                  <Stack gap={0}>
                    <Text size="sm">{a.actorUsername ?? t('timeline.system')}</Text>
                    {a.actorRoles?.length ? (
                      <Text size="xs" c="dimmed">
                        {a.actorRoles.map((r) => t(`role.${r}`, { defaultValue: r })).join(', ')}
                      </Text>
                    ) : null}
                  </Stack>
                ),
              },
              { key: 'action', header: t('audit.action'), render: (a) => <Code>{a.action}</Code> },
              { key: 'fin', header: t('audit.fin'), render: (a) => (a.fin ? <Code>{a.fin}</Code> : '—') },
              { key: 'resource', header: t('audit.resource'), render: (a) => a.resource ?? '—' },
              { key: 'purpose', header: t('audit.purpose'), render: (a) => a.purpose ?? '—' },
            ]}
          />
        )}
      </QueryState>
    </Stack>
  );
}
