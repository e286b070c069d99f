import { Anchor, Box, Button, Chip, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useL } from '../../components/format.ts';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { FIN_RE } from '../../components/validation.ts';
import { HallSummary } from './HallSummary.tsx';
import { StaffCenter } from './StaffCenter.tsx';
import { queueApi, WALK_IN_PRIORITIES, type CenterService, type PublicIssuedTicket } from './queueApi.ts';

/** Smart DOST kiosk: a touch page for walk-ins (anonymous). */
export function KioskPage() {
  const { centerCode = '' } = useParams();
  const { t } = useTranslation();
  usePageTitle(t('queue.kiosk.title'));
  return (
    <Box mih="100vh" p="xl" bg="gray.0" component="main">
      <Group justify="space-between" mb="lg" bg="dostBlue.8" p="md" style={{ borderRadius: 12 }}>
        <Title order={1} c="white">
          {t('queue.kiosk.title')}
        </Title>
        <LanguageSwitcher />
      </Group>
      <TicketIssuer centerCode={centerCode} mode="kiosk" />
    </Box>
  );
}

/** Volunteer tablet: issue tickets on someone's behalf (optionally naming them by FIN) and watch the hall. */
export function VolunteerPage() {
  const { t } = useTranslation();
  usePageTitle(t('queue.volunteer.title'));
  return (
    <StaffCenter>
      {(centerCode) => (
        <Stack gap="lg">
          <Title order={1}>{t('queue.volunteer.title')}</Title>
          <HallSummary centerCode={centerCode} />
          <TicketIssuer centerCode={centerCode} mode="volunteer" />
        </Stack>
      )}
    </StaffCenter>
  );
}

function TicketIssuer({ centerCode, mode }: { centerCode: string; mode: 'kiosk' | 'volunteer' }) {
  const { t } = useTranslation();
  const l = useL();
  const services = useQuery({ queryKey: ['queue', 'services', centerCode], queryFn: () => queueApi.centerServices(centerCode), refetchInterval: 30_000 });
  const [letter, setLetter] = useState<string>('');
  const [search, setSearch] = useState('');
  const [priority, setPriority] = useState<string>('normal');
  const [fin, setFin] = useState('');
  const [finError, setFinError] = useState<string>();
  const [issued, setIssued] = useState<PublicIssuedTicket | null>(null);
  const [code, setCode] = useState('');

  const issue = useMutation({
    mutationFn: async (serviceCode: string) => {
      const p = priority === 'normal' ? undefined : priority;
      if (mode === 'kiosk') return queueApi.kioskTicket(centerCode, { serviceCode, priority: p });
      let citizenId: number | undefined;
      if (fin) {
        const found = await api.findCitizens(fin);
        citizenId = found.items[0]?.id;
        if (!citizenId) throw new ApiError(404, 'NOT_FOUND', t('operator.notFound', { fin }));
      }
      return queueApi.staffTicket(centerCode, { serviceCode, priority: p, citizenId });
    },
    onSuccess: (r) => setIssued(r),
  });
  const checkIn = useMutation({
    mutationFn: (confirmation: string) =>
      mode === 'kiosk' ? queueApi.kioskCheckIn(centerCode, confirmation) : queueApi.staffCheckIn(centerCode, confirmation),
    onSuccess: (r) => setIssued(r),
  });

  // The kiosk goes back to the start by itself after a while.
  useEffect(() => {
    if (!issued || mode !== 'kiosk') return;
    const timer = setTimeout(() => reset(), 60_000);
    return () => clearTimeout(timer);
  }, [issued, mode]);

  const reset = () => {
    setIssued(null);
    setFin('');
    setCode('');
    setPriority('normal');
    issue.reset();
    checkIn.reset();
  };

  const pick = (s: CenterService) => {
    if (mode === 'volunteer' && fin && !FIN_RE.test(fin)) {
      setFinError(t('validation.fin'));
      return;
    }
    issue.mutate(s.serviceCode);
  };

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    const v = code.trim().toUpperCase();
    if (!/^[A-Z0-9]{8}$/.test(v)) return;
    checkIn.mutate(v);
  };

  const letters = useMemo(() => [...new Set((services.data ?? []).map((s) => s.letter))].sort(), [services.data]);

  if (issued) return <TicketSlip issued={issued} onDone={reset} />;

  return (
    <Stack gap="xl">
      <Paper withBorder p="lg" component="section" aria-labelledby="kiosk-checkin">
        <Title order={2} id="kiosk-checkin" mb="md">
          {t('queue.kiosk.checkIn')}
        </Title>
        <form onSubmit={submitCode} noValidate>
          <Group align="flex-end">
            <TextInput
              size="xl"
              label={t('queue.kiosk.code')}
              value={code}
              maxLength={8}
              onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
              styles={{ input: { fontFamily: 'monospace', letterSpacing: 4 } }}
              autoComplete="off"
            />
            <Button type="submit" size="xl" loading={checkIn.isPending} disabled={!/^[A-Z0-9]{8}$/.test(code.trim())}>
              {t('queue.kiosk.checkInButton')}
            </Button>
          </Group>
        </form>
        <Box mt="sm">
          <ErrorAlert error={checkIn.error} />
        </Box>
      </Paper>
      <Paper withBorder p="lg" component="section" aria-labelledby="kiosk-services">
        <Title order={2} id="kiosk-services" mb="md">
          {t('queue.kiosk.pickService')}
        </Title>
        <Stack gap="md">
          <SegmentedControl
            size="lg"
            fullWidth
            aria-label={t('queue.priority.label')}
            value={priority}
            onChange={setPriority}
            data={WALK_IN_PRIORITIES.map((p) => ({ value: p, label: t(`queue.priority.${p}`) }))}
          />
          {mode === 'volunteer' ? (
            <TextInput
              size="lg"
              label={t('queue.kiosk.fin')}
              description={t('queue.kiosk.finHelp')}
              value={fin}
              maxLength={7}
              error={finError}
              onChange={(e) => {
                setFin(e.currentTarget.value.toUpperCase());
                setFinError(undefined);
              }}
              w={300}
              styles={{ input: { fontFamily: 'monospace' } }}
            />
          ) : null}
          <TextInput
            size="lg"
            label={t('queue.kiosk.search')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            type="search"
          />
          {letters.length > 1 ? (
            <Chip.Group value={letter} onChange={(v) => setLetter(v as string)}>
              <Group gap="xs" role="group" aria-label={t('queue.kiosk.groups')}>
                <Chip value="" size="lg">{t('queue.kiosk.allGroups')}</Chip>
                {letters.map((x) => (
                  <Chip key={x} value={x} size="lg">
                    {x}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
          ) : null}
          <ErrorAlert error={issue.error} />
          <QueryState query={services}>
            {(list) => {
              const q = search.trim().toLocaleLowerCase();
              const shown = list.filter((s) => (!letter || s.letter === letter) && (!q || l(s.name).toLocaleLowerCase().includes(q)));
              return (
                <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
                  {shown.map((s) => (
                    <Button
                      key={s.serviceCode}
                      size="xl"
                      h="auto"
                      mih={96}
                      py="md"
                      variant="light"
                      onClick={() => pick(s)}
                      loading={issue.isPending && issue.variables === s.serviceCode}
                      styles={{ label: { whiteSpace: 'normal', textAlign: 'left', lineHeight: 1.25 }, inner: { justifyContent: 'flex-start' } }}
                    >
                      <Stack gap={2} align="flex-start">
                        <Text fw={700} fz="lg">{l(s.name)}</Text>
                        <Text fz="sm" c="dimmed">
                          {s.letter} · {t('queue.waitingCount', { count: s.waiting })}
                          {s.estimatedWaitMinutes != null ? ` · ${t('queue.estimate', { minutes: s.estimatedWaitMinutes })}` : ''}
                        </Text>
                      </Stack>
                    </Button>
                  ))}
                </SimpleGrid>
              );
            }}
          </QueryState>
        </Stack>
      </Paper>
    </Stack>
  );
}

function TicketSlip({ issued, onDone }: { issued: PublicIssuedTicket; onDone: () => void }) {
  const { t } = useTranslation();
  const surveyPath = `/queue/survey/${issued.surveyToken}`;
  return (
    <Paper withBorder shadow="md" p="xl" maw={560} mx="auto" component="section" aria-labelledby="slip-title" ta="center">
      <Title order={2} id="slip-title">
        {t('queue.kiosk.yourTicket')}
      </Title>
      <Text fz={96} fw={800} ff="monospace" lh={1.1} my="md" data-testid="ticket-number">
        {issued.ticket.number}
      </Text>
      <Stack gap={4} mb="lg">
        <Text fz="xl">{t('queue.kiosk.ahead', { count: issued.waitingAhead })}</Text>
        <Text fz="xl" fw={600}>
          {issued.estimatedWaitMinutes != null ? t('queue.estimate', { minutes: issued.estimatedWaitMinutes }) : t('queue.noEstimate')}
        </Text>
        {issued.ticket.priority !== 'normal' ? <Text>{t(`queue.priority.${issued.ticket.priority}`)}</Text> : null}
        <Text size="sm" c="dimmed" mt="sm">
          {t('queue.kiosk.surveyHint')}{' '}
          <Anchor component={Link} to={surveyPath}>
            {t('queue.kiosk.surveyLink')}
          </Anchor>
        </Text>
      </Stack>
      <Button size="xl" onClick={onDone}>
        {t('queue.kiosk.done')}
      </Button>
    </Paper>
  );
}
