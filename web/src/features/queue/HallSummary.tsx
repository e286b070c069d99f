import { Badge, Group, Paper, SimpleGrid, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState.tsx';
import { queueApi, type Hall } from './queueApi.ts';
import { useQueueEvents } from './useQueueEvents.ts';

/** The hall's live figures, refreshed on every queue event of the center (and every 30 s); no board read needed. */
export function useLiveHall(centerCode: string) {
  const qc = useQueryClient();
  const hall = useQuery({ queryKey: ['queue', 'hall', centerCode], queryFn: () => queueApi.hall(centerCode), refetchInterval: 30_000 });
  const onEvent = useCallback(() => {
    void qc.invalidateQueries({ queryKey: ['queue', 'hall', centerCode] });
    void qc.invalidateQueries({ queryKey: ['queue', 'windows', centerCode] });
  }, [qc, centerCode]);
  // The hall carries the newest event id: the stream follows from the first hall read (it keeps its own position after that).
  const stream = useQueueEvents(centerCode, hall.data?.lastEventId, onEvent);
  return { hall, stream };
}

export function HallFigures({ hall }: { hall: Hall }) {
  const { t } = useTranslation();
  const figures: [string, string | number][] = [
    ['waiting', hall.waiting],
    ['serving', hall.serving + hall.called],
    ['longestWait', t('queue.minutes', { count: hall.longestWaitMinutes })],
    ['windowsOpen', `${hall.windowsOpen} / ${hall.windowsTotal}`],
    ['done', hall.done],
    ['noShow', hall.noShow],
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} component="dl" m={0}>
      {figures.map(([key, value]) => (
        <Paper withBorder p="sm" key={key}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} component="dt">
            {t(`queue.hall.${key}`)}
          </Text>
          <Text fz={28} fw={700} component="dd" m={0} data-testid={`hall-${key}`}>
            {value}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** Compact live hall state for the volunteer tablet and the manager. */
export function HallSummary({ centerCode }: { centerCode: string }) {
  const { t } = useTranslation();
  const { hall, stream } = useLiveHall(centerCode);
  return (
    <Paper withBorder p="md" component="section" aria-label={t('queue.hall.title')}>
      <Group justify="space-between" mb="sm">
        <Text fw={700}>{t('queue.hall.title')}</Text>
        <Badge color={stream === 'live' ? 'green' : 'orange'}>{t(`queue.stream.${stream}`)}</Badge>
      </Group>
      <QueryState query={hall}>{(h) => <HallFigures hall={h} />}</QueryState>
    </Paper>
  );
}
