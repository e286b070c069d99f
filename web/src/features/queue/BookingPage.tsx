import { Alert, Anchor, Badge, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat, useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useAllServices } from '../catalog/queries.ts';
import { bakuTime, queueApi, type MyAppointment } from './queueApi.ts';
import { SlotPicker } from './slots.tsx';

function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

/** Citizen books a visit: service → centers nearest first → free slots → book → confirmation code. */
export function BookingPage() {
  const { t } = useTranslation();
  usePageTitle(t('queue.booking.title'));
  const l = useL();
  const navigate = useNavigate();
  const services = useAllServices();
  const me = useQuery({ queryKey: ['citizens', 'me'], queryFn: api.myRecord });
  const [serviceCode, setServiceCode] = useState('');
  const [date, setDate] = useState(tomorrow());
  const [search, setSearch] = useState<{ service: string; date: string } | null>(null);
  const [selected, setSelected] = useState<{ centerCode: string; startsAt: string } | null>(null);
  const [error, setError] = useState<string>();
  const district = me.data?.districtCode;
  const slots = useQuery({
    queryKey: ['queue', 'slots', search, district],
    queryFn: () => queueApi.slots({ service: search!.service, date: search!.date, district }),
    enabled: Boolean(search) && !me.isPending,
  });
  const book = useMutation({
    mutationFn: () => queueApi.book({ centerCode: selected!.centerCode, serviceCode: search!.service, startsAt: selected!.startsAt }),
    onSuccess: (a) => navigate(`/queue/appointments/${a.confirmation}?booked=1`),
  });
  const atCenter = (services.data ?? []).filter((s) => s.channels.includes('center') && !s.proactive);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!serviceCode || !date) {
      setError(t('validation.required'));
      return;
    }
    setError(undefined);
    setSelected(null);
    setSearch({ service: serviceCode, date });
  };

  return (
    <Stack gap="lg">
      <Title order={1}>{t('queue.booking.title')}</Title>
      <form onSubmit={submit} noValidate>
        <Group align="flex-start">
          <NativeSelect
            label={t('queue.booking.service')}
            withAsterisk
            value={serviceCode}
            error={error && !serviceCode ? error : undefined}
            onChange={(e) => setServiceCode(e.currentTarget.value)}
            data={[{ value: '', label: t('form.choose') }, ...atCenter.map((s) => ({ value: s.code, label: l(s.name) }))]}
            w={420}
          />
          <TextInput type="date" label={t('queue.booking.date')} withAsterisk value={date} onChange={(e) => setDate(e.currentTarget.value)} w={200} />
          <Button type="submit" mt={25}>
            {t('queue.booking.find')}
          </Button>
        </Group>
      </form>
      {search ? (
        <Section title={t('queue.booking.slots')}>
          <QueryState query={slots}>
            {(s) => <SlotPicker slots={s} selected={selected} onPick={(centerCode, startsAt) => setSelected({ centerCode, startsAt })} />}
          </QueryState>
        </Section>
      ) : null}
      {selected ? (
        <Alert color="blue" title={t('queue.booking.chosen')}>
          <Stack gap="xs">
            <Text>
              {selected.centerCode} · {search?.date} · {bakuTime(selected.startsAt)}
            </Text>
            <ErrorAlert error={book.error} />
            <Group>
              <Button onClick={() => book.mutate()} loading={book.isPending}>
                {t('queue.booking.book')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : null}
      <MyAppointments />
    </Stack>
  );
}

/** The signed-in citizen's own appointments: upcoming ones with a link to cancel or move, then recent ones. */
function MyAppointments() {
  const { t } = useTranslation();
  const mine = useQuery({ queryKey: ['queue', 'appointments', 'mine'], queryFn: queueApi.myAppointments });
  return (
    <Section title={t('queue.mine.title')}>
      <QueryState query={mine}>
        {(m) => (
          <Stack gap="md">
            <AppointmentsTable caption={t('queue.mine.upcoming')} rows={m.upcoming} empty={t('queue.mine.none')} testId="my-upcoming" />
            {m.recent.length > 0 ? (
              <>
                <Title order={3} size="h5">
                  {t('queue.mine.recent')}
                </Title>
                <AppointmentsTable caption={t('queue.mine.recent')} rows={m.recent} testId="my-recent" />
              </>
            ) : null}
          </Stack>
        )}
      </QueryState>
    </Section>
  );
}

function AppointmentsTable({ caption, rows, empty, testId }: { caption: string; rows: MyAppointment[]; empty?: string; testId: string }) {
  const { t } = useTranslation();
  const l = useL();
  const fmt = useFormat();
  return (
    <div data-testid={testId}>
      <DataTable<MyAppointment>
        caption={caption}
        rows={rows}
        rowKey={(a) => a.confirmation}
        empty={empty}
        columns={[
          { key: 'when', header: t('queue.appointment.when'), render: (a) => `${fmt.date(a.startsAt.slice(0, 10))} ${bakuTime(a.startsAt)}` },
          { key: 'center', header: t('queue.appointment.center'), render: (a) => l(a.centerName) },
          { key: 'service', header: t('queue.console.service'), render: (a) => l(a.serviceName) },
          {
            key: 'status',
            header: t('queue.appointment.status'),
            render: (a) => (
              <Badge color={a.status === 'booked' ? 'green' : 'gray'} data-status={a.status}>
                {t(`queue.appointment.statuses.${a.status}`, { defaultValue: a.status })}
              </Badge>
            ),
          },
          { key: 'code', header: t('queue.appointment.code'), render: (a) => <Text ff="monospace" fw={700}>{a.confirmation}</Text> },
          {
            key: 'open',
            header: t('queue.mine.actions'),
            render: (a) => (
              <Anchor component={Link} to={`/queue/appointments/${a.confirmation}`} aria-label={t('queue.mine.change', { code: a.confirmation })}>
                {a.status === 'booked' ? t('queue.mine.changeShort') : t('queue.mine.view')}
              </Anchor>
            ),
          },
        ]}
      />
    </div>
  );
}
