import { Badge, Box, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/QueryState.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { queueApi, type QueueEvent } from './queueApi.ts';
import { enableChime, playChime, useQueueEvents } from './useQueueEvents.ts';

/** The board always speaks the hall's two languages, whatever the UI language. */
const BI = {
  ticket: 'Bilet · Талон',
  window: 'Pəncərə · Окно',
  nowCalling: 'Çağırılır · Вызывается',
  recent: 'Son çağırışlar · Последние вызовы',
  waiting: 'Gözləyir · Ожидают',
  closed: 'Bağlıdır · Закрыто',
  free: 'Boşdur · Свободно',
  sound: 'Səsi aç · Включить звук',
  soundOn: 'Səs açıqdır · Звук включён',
  live: 'Canlı · В эфире',
  reconnecting: 'Yenidən qoşulur… · Переподключение…',
  windows: 'Pəncərələr · Окна',
};

/** Full-screen display board of a center: called tickets and windows, live over SSE, with a chime. */
export function BoardPage() {
  const { centerCode = '' } = useParams();
  const qc = useQueryClient();
  const board = useQuery({ queryKey: ['queue', 'board', centerCode], queryFn: () => queueApi.board(centerCode), staleTime: Infinity });
  const [flash, setFlash] = useState<{ number: string; windowNo: number | null; id: number } | null>(null);
  const [sound, setSound] = useState(false);
  const [hot, setHot] = useState(false);
  // A new call is highlighted for a few seconds.
  useEffect(() => {
    if (!flash) return;
    setHot(true);
    const timer = setTimeout(() => setHot(false), 10_000);
    return () => clearTimeout(timer);
  }, [flash]);
  usePageTitle(board.data ? `${board.data.name.az} · ${BI.ticket}` : BI.ticket);

  const onEvent = useCallback(
    (e: QueueEvent) => {
      if ((e.kind === 'ticket.called' || e.kind === 'ticket.recalled') && e.payload.number) {
        setFlash({ number: e.payload.number, windowNo: e.payload.windowNo ?? e.windowNo, id: e.id });
        playChime();
      }
      void qc.invalidateQueries({ queryKey: ['queue', 'board', centerCode] });
    },
    [qc, centerCode],
  );
  const stream = useQueueEvents(centerCode, board.data?.lastEventId, onEvent);

  if (board.isPending) return <Loading />;
  if (board.isError) return <ErrorAlert error={board.error} />;
  const b = board.data;
  const current = flash ?? (b.called[0] ? { number: b.called[0].number, windowNo: b.called[0].windowNo } : null);
  const waiting = Object.entries(b.waitingByLetter).sort(([a], [z]) => a.localeCompare(z));

  return (
    <Box bg="dark.8" c="white" mih="100vh" p="xl" component="main" lang="az">
      <Group justify="space-between" mb="lg">
        <Title order={1} c="white">
          {b.name.az} <Text span c="gray.4" inherit fw={400} lang="ru">· {b.name.ru}</Text>
        </Title>
        <Group>
          <Badge size="xl" color={stream === 'live' ? 'green' : 'orange'} role="status" data-stream={stream}>
            {stream === 'live' ? BI.live : BI.reconnecting}
          </Badge>
          <Button
            variant={sound ? 'light' : 'white'}
            onClick={() => {
              setSound(enableChime());
              playChime();
            }}
          >
            {sound ? BI.soundOn : BI.sound}
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xl">
        <Stack gap="lg" style={{ gridColumn: 'span 2' }}>
          <Box
            component="section"
            aria-label={BI.nowCalling}
            aria-live="assertive"
            p="xl"
            bg={hot ? 'yellow.5' : 'dostBlue.7'}
            c={hot ? 'dark.9' : 'white'}
            style={{ borderRadius: 16, textAlign: 'center' }}
            data-testid="now-calling"
          >
            <Text fz={32} fw={600}>{BI.nowCalling}</Text>
            {current ? (
              <Group justify="center" gap={48} mt="md">
                <div>
                  <Text fz={24}>{BI.ticket}</Text>
                  <Text fz={120} fw={800} lh={1} ff="monospace">{current.number}</Text>
                </div>
                <Text fz={80} aria-hidden>→</Text>
                <div>
                  <Text fz={24}>{BI.window}</Text>
                  <Text fz={120} fw={800} lh={1} ff="monospace">{current.windowNo ?? '—'}</Text>
                </div>
              </Group>
            ) : (
              <Text fz={64} fw={700}>—</Text>
            )}
          </Box>
          <Box component="section" aria-labelledby="board-recent">
            <Title order={2} id="board-recent" c="white" mb="sm">{BI.recent}</Title>
            <table style={{ width: '100%', fontSize: 40, borderCollapse: 'collapse' }}>
              <thead>
                <tr style={{ color: '#adb5bd', fontSize: 22, textAlign: 'left' }}>
                  <th scope="col">{BI.ticket}</th>
                  <th scope="col">{BI.window}</th>
                </tr>
              </thead>
              <tbody>
                {b.called.slice(0, 8).map((c) => (
                  <tr key={`${c.number}-${c.calledAt}`} style={{ borderTop: '1px solid #495057' }}>
                    <td style={{ fontFamily: 'monospace', fontWeight: 700, padding: '6px 0' }}>{c.number}</td>
                    <td style={{ fontFamily: 'monospace' }}>{c.windowNo ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Box>
        </Stack>
        <Stack gap="lg">
          <Box component="section" aria-labelledby="board-waiting">
            <Title order={2} id="board-waiting" c="white" mb="sm">{BI.waiting}</Title>
            <Group gap="sm">
              {waiting.length === 0 ? <Text fz={28}>0</Text> : null}
              {waiting.map(([letter, n]) => (
                <Badge key={letter} size="xl" color="gray" variant="light" styles={{ root: { fontSize: 24, height: 48 } }}>
                  {letter}: {n}
                </Badge>
              ))}
            </Group>
          </Box>
          <Box component="section" aria-labelledby="board-windows">
            <Title order={2} id="board-windows" c="white" mb="sm">{BI.windows}</Title>
            <SimpleGrid cols={4} spacing="xs">
              {b.windows.filter((w) => w.isOpen || w.ticketNumber).slice(0, 40).map((w) => (
                <Box
                  key={w.windowNo}
                  p={6}
                  bg={w.ticketNumber ? 'dostBlue.6' : 'dark.6'}
                  style={{ borderRadius: 8, textAlign: 'center' }}
                  aria-label={`${BI.window} ${w.windowNo}: ${w.ticketNumber ?? (w.isOpen ? BI.free : BI.closed)}`}
                >
                  <Text fz="sm" c="gray.4">{w.windowNo}</Text>
                  <Text fz="lg" fw={700} ff="monospace">{w.ticketNumber ?? '·'}</Text>
                </Box>
              ))}
            </SimpleGrid>
          </Box>
        </Stack>
      </SimpleGrid>
    </Box>
  );
}
