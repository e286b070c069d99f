import { Alert, Badge, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Fact, FactList } from '../../components/Fact.tsx';
import { useFormat } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { bakuTime, queueApi, type PublicAppointment } from './queueApi.ts';
import { SlotPicker } from './slots.tsx';

/** An appointment by its confirmation code: details, cancel, move. */
export function AppointmentPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  usePageTitle(t('queue.appointment.title'));
  const [params] = useSearchParams();
  const appt = useQuery({ queryKey: ['queue', 'appointment', code], queryFn: () => queueApi.appointment(code) });
  return (
    <Stack gap="lg">
      <Title order={1}>{t('queue.appointment.title')}</Title>
      {params.get('booked') ? (
        <Alert color="green" title={t('queue.booking.booked')} role="status">
          {t('queue.booking.bookedText')}
        </Alert>
      ) : null}
      <QueryState query={appt}>{(a) => <AppointmentView appt={a} />}</QueryState>
    </Stack>
  );
}

function AppointmentView({ appt }: { appt: PublicAppointment }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [moving, setMoving] = useState(false);
  const [date, setDate] = useState(appt.startsAt.slice(0, 10));
  const [selected, setSelected] = useState<{ centerCode: string; startsAt: string } | null>(null);
  const done = (a: PublicAppointment) => {
    qc.setQueryData(['queue', 'appointment', a.confirmation], a);
    setMoving(false);
    setSelected(null);
  };
  const cancel = useMutation({ mutationFn: () => queueApi.cancelAppointment(appt.confirmation), onSuccess: done });
  const move = useMutation({
    mutationFn: () => queueApi.moveAppointment(appt.confirmation, { startsAt: selected!.startsAt, centerCode: selected!.centerCode }),
    onSuccess: done,
  });
  const slots = useQuery({
    queryKey: ['queue', 'slots', appt.serviceCode, date, appt.centerCode],
    queryFn: () => queueApi.slots({ service: appt.serviceCode, date, center: appt.centerCode }),
    enabled: moving && Boolean(date),
  });
  const active = appt.status === 'booked';
  return (
    <Stack gap="lg">
      <Section title={t('queue.appointment.details')}>
        <Text size="sm" c="dimmed">
          {t('queue.appointment.code')}
        </Text>
        <Text fz={40} fw={800} ff="monospace" data-testid="confirmation">
          {appt.confirmation}
        </Text>
        <FactList>
          <Fact label={t('queue.appointment.status')}>
            <Badge color={active ? 'green' : 'gray'} data-status={appt.status}>
              {t(`queue.appointment.statuses.${appt.status}`, { defaultValue: appt.status })}
            </Badge>
          </Fact>
          <Fact label={t('queue.appointment.center')}>{appt.centerCode}</Fact>
          <Fact label={t('queue.console.service')}>{appt.serviceCode}</Fact>
          <Fact label={t('queue.appointment.when')}>
            <span data-testid="starts-at">
              {fmt.date(appt.startsAt.slice(0, 10))} {bakuTime(appt.startsAt)}
            </span>
          </Fact>
        </FactList>
        <Text size="sm" mt="sm">
          {t('queue.appointment.hint')}
        </Text>
        {active ? (
          <Group mt="md">
            <Button variant="default" onClick={() => setMoving((m) => !m)}>
              {t('queue.appointment.move')}
            </Button>
            <Button color="red" variant="light" onClick={() => cancel.mutate()} loading={cancel.isPending}>
              {t('queue.appointment.cancel')}
            </Button>
          </Group>
        ) : null}
        <ErrorAlert error={cancel.error ?? move.error} />
      </Section>
      {moving ? (
        <Section title={t('queue.appointment.moveTitle')}>
          <Stack>
            <TextInput type="date" label={t('queue.booking.date')} value={date} onChange={(e) => setDate(e.currentTarget.value)} w={200} />
            <QueryState query={slots}>{(s) => <SlotPicker slots={s} selected={selected} onPick={(c, st) => setSelected({ centerCode: c, startsAt: st })} />}</QueryState>
            <Group>
              <Button onClick={() => move.mutate()} disabled={!selected} loading={move.isPending}>
                {t('queue.appointment.moveConfirm')}
              </Button>
            </Group>
          </Stack>
        </Section>
      ) : null}
    </Stack>
  );
}
