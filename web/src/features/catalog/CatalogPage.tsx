import { Anchor, Card, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ChannelBadges } from '../../components/badges.tsx';
import { ListPagination } from '../../components/DataTable.tsx';
import { useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { useListParams } from '../../components/useListParams.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import type { ServiceSummary } from '../../types.ts';
import { useCategories, useServices } from './queries.ts';

const PAGE_SIZE = 12;
const CHANNELS = ['online', 'center', 'call_center', 'proactive'] as const;

export function CatalogPage() {
  const { t } = useTranslation();
  usePageTitle(t('catalog.title'));
  const l = useL();
  const { values, page, set, setPage } = useListParams(['q', 'category', 'channel'] as const);
  const [q, setQ] = useState(values.q);
  const pushQ = useDebouncedCallback((v: string) => set({ q: v.trim() }), 300);
  // Follow the URL (back/forward) without fighting the user's typing.
  useEffect(() => setQ((prev) => (prev.trim() === values.q ? prev : values.q)), [values.q]);

  const categories = useCategories();
  const services = useServices({
    q: values.q || undefined,
    category: values.category || undefined,
    channel: values.channel || undefined,
    page,
    pageSize: PAGE_SIZE,
  });

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('catalog.title')}</Title>
        <Text c="dimmed">{t('catalog.subtitle')}</Text>
      </div>
      <Group align="flex-end" role="search" aria-label={t('catalog.searchRegion')}>
        <TextInput
          type="search"
          label={t('catalog.search')}
          placeholder={t('catalog.searchPlaceholder')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            pushQ(e.currentTarget.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') set({ q: q.trim() });
          }}
          style={{ flex: '1 1 280px' }}
        />
        <NativeSelect
          label={t('catalog.category')}
          value={values.category}
          onChange={(e) => set({ category: e.currentTarget.value })}
          data={[
            { value: '', label: t('catalog.allCategories') },
            ...(categories.data?.items ?? [])
              .slice()
              .sort((a, b) => a.sort - b.sort)
              .map((c) => ({ value: c.code, label: `${l(c.name)} (${c.serviceCount})` })),
          ]}
          style={{ flex: '1 1 240px' }}
        />
        <NativeSelect
          label={t('catalog.channel')}
          value={values.channel}
          onChange={(e) => set({ channel: e.currentTarget.value })}
          data={[
            { value: '', label: t('catalog.allChannels') },
            ...CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) })),
          ]}
          style={{ flex: '0 1 200px' }}
        />
      </Group>
      <QueryState query={services}>
        {(data) => (
          <section aria-label={t('catalog.results')} aria-busy={services.isFetching}>
            {data.items.length === 0 ? (
              <Text c="dimmed" py="lg" ta="center">
                {t('catalog.noResults')}
              </Text>
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} role="list">
                {data.items.map((s) => (
                  <ServiceCard key={s.code} service={s} />
                ))}
              </SimpleGrid>
            )}
            <ListPagination page={data.page} pageSize={data.pageSize} total={data.total} onPageChange={setPage} />
          </section>
        )}
      </QueryState>
    </Stack>
  );
}

function ServiceCard({ service }: { service: ServiceSummary }) {
  const { t } = useTranslation();
  const l = useL();
  return (
    <Card withBorder radius="md" padding="md" role="listitem" component="article">
      <Stack gap="xs" h="100%">
        <Title order={2} size="h4">
          <Anchor component={Link} to={`/services/${encodeURIComponent(service.code)}`}>
            {l(service.name)}
          </Anchor>
        </Title>
        <Text size="sm" c="dimmed" lineClamp={3}>
          {l(service.description)}
        </Text>
        <Group justify="space-between" mt="auto" gap="xs">
          <ChannelBadges channels={service.channels} />
          <Text size="xs" c="dimmed">
            {service.slaWorkingDays > 0
              ? t('catalog.slaDays', { count: service.slaWorkingDays })
              : t('catalog.immediate')}
          </Text>
        </Group>
      </Stack>
    </Card>
  );
}
