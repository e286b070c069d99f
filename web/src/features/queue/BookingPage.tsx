import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useAllServices } from '../catalog/queries.ts';
import { bakuTime, queueApi } from './queueApi.ts';
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
    </Stack>
  );
}
