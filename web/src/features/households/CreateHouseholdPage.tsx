import { Button, Group, Stack, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, request } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { ErrorSummary, type Household } from './HouseholdPage.tsx';

/** /officer/households/new?head=<citizenId> — registers a household with the citizen as its head. */
export function CreateHouseholdPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const head = Number(useSearchParams()[0].get('head'));
  const [districtCode, setDistrict] = useState('');
  const [address, setAddress] = useState('');
  const [from, setFrom] = useState('');
  usePageTitle(t('households.create'));
  const m = useMutation({
    mutationFn: () => request<Household>('/api/households', { method: 'POST', body: { districtCode, address, headCitizenId: head, ...(from && { from }) } }),
    onSuccess: (h) => navigate(`/officer/households/${h.id}`),
  });
  const problems = m.error instanceof ApiError ? m.error.details : [];
  const err = (f: string) => problems.find((p) => p.field === f)?.message;
  const ids = { '/districtCode': 'hh-new-district', '/address': 'hh-new-address', '/from': 'hh-new-from', '/headCitizenId': 'hh-new-district' };
  const submit = (e: FormEvent) => { e.preventDefault(); m.mutate(); };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={520}>
        <Title order={2}>{t('households.create')}</Title>
        <ErrorSummary problems={problems} ids={ids} error={m.error} />
        <TextInput id={ids['/districtCode']} label={t('households.district')} value={districtCode} onChange={(e) => setDistrict(e.currentTarget.value.toUpperCase())} error={err('/districtCode')} />
        <TextInput id={ids['/address']} label={t('households.address')} value={address} onChange={(e) => setAddress(e.currentTarget.value)} error={err('/address')} />
        <TextInput id={ids['/from']} type="date" label={t('households.from')} description={t('households.fromHint')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={err('/from')} />
        <Group><Button type="submit" loading={m.isPending}>{t('households.createSubmit')}</Button></Group>
      </Stack>
    </form>
  );
}
