import { Alert, Anchor, Button, Code, Group, List, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError, request, type ErrorDetail } from '../../api.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { FIN_RE } from '../../components/validation.ts';

interface Member {
  citizenId: number; fin: string; lastName: string; firstName: string; patronymic: string | null; birthDate: string;
  relation: string; relationName: string; joinedOn: string; leftOn: string | null; current: boolean;
}
interface Declaration { id: number; monthlyIncomeAzn: number; periodFrom: string | null; periodTo: string | null; source: string; sourceName: string; declaredOn: string }
export interface Household { id: number; districtCode: string; address: string | null; members: Member[]; declarations: Declaration[] }

const RELATIONS = ['spouse', 'child', 'parent', 'sibling', 'grandchild', 'grandparent', 'other'] as const;
const SOURCES = ['wages', 'pension', 'allowance', 'self_employment', 'agriculture', 'property', 'tax_service', 'application', 'other'] as const;

const post = (path: string, body: unknown) => request<Household>(path, { method: 'POST', body });

/** Field problems from the server, or from the page's own checks, keyed by JSON pointer. */
type Problems = ErrorDetail[];
const problemsOf = (e: unknown): Problems => (e instanceof ApiError ? e.details : []);

/** GOV.UK-style error summary: every problem, each linking to its field. */
export function ErrorSummary({ problems, ids, error }: { problems: Problems; ids: Record<string, string>; error: unknown }) {
  const { t } = useTranslation();
  if (!problems.length && !error) return null;
  return (
    <Alert color="red" title={t('households.errorSummary')} role="alert" tabIndex={-1}>
      <List size="sm">
        {problems.map((p, i) => (
          <List.Item key={i}>{p.field && ids[p.field] ? <Anchor href={`#${ids[p.field]}`}>{p.message}</Anchor> : p.message}</List.Item>
        ))}
        {!problems.length && error instanceof Error ? <List.Item>{error.message}</List.Item> : null}
      </List>
    </Alert>
  );
}

const fieldError = (problems: Problems, field: string) => problems.find((p) => p.field === field)?.message;

function AddMemberForm({ householdId }: { householdId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [fin, setFin] = useState('');
  const [relation, setRelation] = useState<string>('child');
  const [from, setFrom] = useState('');
  const [local, setLocal] = useState<Problems>([]);
  const m = useMutation({
    mutationFn: async () => {
      const found = await request<{ items: { id: number }[] }>('/api/citizens', { query: { fin: fin.trim().toUpperCase() } });
      const c = found.items[0];
      if (!c) throw new ApiError(404, 'NOT_FOUND', t('households.finNotFound'), [{ field: '/fin', code: 'not_found', message: t('households.finNotFound') }]);
      return post(`/api/households/${householdId}/members`, { citizenId: c.id, relation, from });
    },
    onSuccess: (h) => { qc.setQueryData(['household', householdId], h); setFin(''); setFrom(''); },
  });
  const problems = [...local, ...problemsOf(m.error)].map((p) => (p.field === '/citizenId' ? { ...p, field: '/fin' } : p));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const mine: Problems = [];
    if (!FIN_RE.test(fin.trim().toUpperCase())) mine.push({ field: '/fin', message: t('households.finInvalid') });
    if (!from) mine.push({ field: '/from', message: t('households.dateRequired') });
    setLocal(mine);
    if (!mine.length) m.mutate();
  };
  const ids = { '/fin': 'hh-add-fin', '/relation': 'hh-add-relation', '/from': 'hh-add-from' };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="hh-add-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="hh-add-title">{t('households.addMember')}</Title>
        <ErrorSummary problems={problems} ids={ids} error={local.length ? null : m.error} />
        <TextInput id={ids['/fin']} label={t('households.fin')} description={t('households.finHint')} value={fin} onChange={(e) => setFin(e.currentTarget.value)} error={fieldError(problems, '/fin')} />
        <NativeSelect id={ids['/relation']} label={t('households.relationLabel')} value={relation} onChange={(e) => setRelation(e.currentTarget.value)}
          data={RELATIONS.map((r) => ({ value: r, label: t(`households.relation.${r}`) }))} error={fieldError(problems, '/relation')} />
        <TextInput id={ids['/from']} type="date" label={t('households.from')} description={t('households.fromHint')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={fieldError(problems, '/from')} />
        <Group><Button type="submit" loading={m.isPending}>{t('households.addMemberSubmit')}</Button></Group>
      </Stack>
    </form>
  );
}

function EndMemberForm({ household }: { household: Household }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const current = household.members.filter((m) => m.current);
  const [citizenId, setCitizenId] = useState(String(current[0]?.citizenId ?? ''));
  const [on, setOn] = useState('');
  const [newHead, setNewHead] = useState('');
  const m = useMutation({
    mutationFn: () => post(`/api/households/${household.id}/members/${citizenId}/end`, { on, ...(newHead && { newHeadCitizenId: Number(newHead) }) }),
    onSuccess: (h) => qc.setQueryData(['household', household.id], h),
  });
  const problems = problemsOf(m.error);
  const ids = { '/on': 'hh-end-on', '/citizenId': 'hh-end-member', '/newHeadCitizenId': 'hh-end-newhead' };
  if (!current.length) return null;
  const name = (x: Member) => `${x.lastName} ${x.firstName} (${x.relationName})`;
  return (
    <form onSubmit={(e) => { e.preventDefault(); m.mutate(); }} noValidate aria-labelledby="hh-end-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="hh-end-title">{t('households.endMember')}</Title>
        <ErrorSummary problems={problems} ids={ids} error={m.error} />
        <NativeSelect id={ids['/citizenId']} label={t('households.member')} value={citizenId} onChange={(e) => setCitizenId(e.currentTarget.value)}
          data={current.map((x) => ({ value: String(x.citizenId), label: name(x) }))} error={fieldError(problems, '/citizenId')} />
        <TextInput id={ids['/on']} type="date" label={t('households.leftOn')} description={t('households.leftOnHint')} value={on} onChange={(e) => setOn(e.currentTarget.value)} error={fieldError(problems, '/on')} />
        <NativeSelect id={ids['/newHeadCitizenId']} label={t('households.newHead')} description={t('households.newHeadHint')} value={newHead} onChange={(e) => setNewHead(e.currentTarget.value)}
          data={[{ value: '', label: '—' }, ...current.filter((x) => String(x.citizenId) !== citizenId).map((x) => ({ value: String(x.citizenId), label: name(x) }))]} error={fieldError(problems, '/newHeadCitizenId')} />
        <Group><Button type="submit" variant="default" loading={m.isPending}>{t('households.endMemberSubmit')}</Button></Group>
      </Stack>
    </form>
  );
}

function IncomeForm({ householdId }: { householdId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [v, setV] = useState({ monthlyIncomeAzn: '', periodFrom: '', periodTo: '', source: 'wages', declaredOn: '' });
  const m = useMutation({
    mutationFn: () => post(`/api/households/${householdId}/income-declarations`, { ...v, monthlyIncomeAzn: Number(v.monthlyIncomeAzn) }),
    onSuccess: (h) => qc.setQueryData(['household', householdId], h),
  });
  const problems = problemsOf(m.error);
  const ids = { '/monthlyIncomeAzn': 'hh-inc-azn', '/periodFrom': 'hh-inc-from', '/periodTo': 'hh-inc-to', '/source': 'hh-inc-source', '/declaredOn': 'hh-inc-declared' };
  const set = (k: keyof typeof v) => (e: { currentTarget: { value: string } }) => setV({ ...v, [k]: e.currentTarget.value });
  return (
    <form onSubmit={(e) => { e.preventDefault(); m.mutate(); }} noValidate aria-labelledby="hh-inc-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="hh-inc-title">{t('households.declareIncome')}</Title>
        <ErrorSummary problems={problems} ids={ids} error={m.error} />
        <TextInput id={ids['/monthlyIncomeAzn']} inputMode="decimal" label={t('households.azn')} description={t('households.aznHint')} value={v.monthlyIncomeAzn} onChange={set('monthlyIncomeAzn')} error={fieldError(problems, '/monthlyIncomeAzn')} />
        <TextInput id={ids['/periodFrom']} type="date" label={t('households.periodFrom')} value={v.periodFrom} onChange={set('periodFrom')} error={fieldError(problems, '/periodFrom')} />
        <TextInput id={ids['/periodTo']} type="date" label={t('households.periodTo')} value={v.periodTo} onChange={set('periodTo')} error={fieldError(problems, '/periodTo')} />
        <NativeSelect id={ids['/source']} label={t('households.sourceLabel')} value={v.source} onChange={set('source')} data={SOURCES.map((s) => ({ value: s, label: t(`households.source.${s}`) }))} error={fieldError(problems, '/source')} />
        <TextInput id={ids['/declaredOn']} type="date" label={t('households.declaredOn')} value={v.declaredOn} onChange={set('declaredOn')} error={fieldError(problems, '/declaredOn')} />
        <Group><Button type="submit" loading={m.isPending}>{t('households.declareSubmit')}</Button></Group>
      </Stack>
    </form>
  );
}

/** /officer/households/:id — members (current and past), income declarations, and the forms that change them. */
export function HouseholdPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const q = useQuery({ queryKey: ['household', id], queryFn: () => request<Household>(`/api/households/${id}`) });
  usePageTitle(t('households.title', { id }));
  return (
    <Stack gap="lg">
      <Title order={2}>{t('households.title', { id })}</Title>
      <QueryState query={q}>
        {(h) => (
          <Stack gap="lg">
            <DataTable<Member>
              caption={t('households.members')}
              rows={h.members}
              rowKey={(m) => `${m.citizenId}-${m.joinedOn}`}
              columns={[
                { key: 'name', header: t('households.name'), render: (m) => `${m.lastName} ${m.firstName}${m.patronymic ? ` ${m.patronymic}` : ''}` },
                { key: 'fin', header: t('households.fin'), render: (m) => <Code>{m.fin}</Code> },
                { key: 'relation', header: t('households.relationLabel'), render: (m) => m.relationName },
                { key: 'from', header: t('households.from'), render: (m) => m.joinedOn },
                { key: 'to', header: t('households.leftOn'), render: (m) => m.leftOn ?? t('households.currentMember') },
              ]}
            />
            <DataTable<Declaration>
              caption={t('households.declarations')}
              rows={h.declarations}
              rowKey={(d) => d.id}
              empty={t('households.noDeclarations')}
              columns={[
                { key: 'declared', header: t('households.declaredOn'), render: (d) => d.declaredOn },
                { key: 'azn', header: t('households.azn'), render: (d) => d.monthlyIncomeAzn.toFixed(2) },
                { key: 'period', header: t('households.period'), render: (d) => `${d.periodFrom ?? '—'} – ${d.periodTo ?? '—'}` },
                { key: 'source', header: t('households.sourceLabel'), render: (d) => d.sourceName },
              ]}
            />
            <AddMemberForm householdId={h.id} />
            <EndMemberForm household={h} />
            <IncomeForm householdId={h.id} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
