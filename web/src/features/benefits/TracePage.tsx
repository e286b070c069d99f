import { Alert, Anchor, Badge, Button, Code, Group, List, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, ApiError } from '../../api.ts';
import { Fact, FactList } from '../../components/Fact.tsx';
import { useFormat } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { FIN_RE } from '../../components/validation.ts';
import { hasRole, useSession } from '../auth/auth.ts';
import { benefitsApi, type Explanation, type TraceStep } from './benefitsApi.ts';

/** Benefit ids, for staff who cannot list the rules (the 142 call center). */
const KNOWN_BENEFITS = [
  'childbirth_allowance',
  'funeral_allowance',
  'disability_allowance',
  'old_age_pension',
  'targeted_social_assistance',
  'child_under_one_allowance',
  'unemployment_insurance',
];

const OUTCOME_COLORS = { eligible: 'green', not_eligible: 'red', cannot_decide: 'orange' } as const;

/** "Why?": the evaluation trace of a benefit for a citizen — conditions, facts, parameters in force, the law. */
export function TracePage() {
  const { t } = useTranslation();
  usePageTitle(t('benefits.trace.title'));
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const isCitizen = hasRole(user, 'citizen');
  const citizenId = isCitizen ? (user?.citizenId ?? 0) : Number(params.get('citizen')) || 0;
  const benefit = params.get('benefit') ?? '';
  const trace = useQuery({
    queryKey: ['benefits', 'explain', citizenId, benefit],
    queryFn: () => benefitsApi.explain(citizenId, benefit),
    enabled: citizenId > 0 && /^[a-z][a-z0-9_]{1,60}$/.test(benefit),
  });
  return (
    <Stack gap="lg">
      <Title order={1}>{t('benefits.trace.title')}</Title>
      {!isCitizen ? (
        <StaffQuery
          citizenId={citizenId}
          benefit={benefit}
          onQuery={(c, b) => setParams({ citizen: String(c), benefit: b })}
          canListRules={hasRole(user, 'officer', 'analyst', 'admin')}
        />
      ) : null}
      {trace.isEnabled ? <QueryState query={trace}>{(e) => <TraceView explanation={e} />}</QueryState> : null}
    </Stack>
  );
}

function StaffQuery({
  citizenId,
  benefit,
  onQuery,
  canListRules,
}: {
  citizenId: number;
  benefit: string;
  onQuery: (citizenId: number, benefit: string) => void;
  canListRules: boolean;
}) {
  const { t } = useTranslation();
  const rules = useQuery({ queryKey: ['rules'], queryFn: benefitsApi.rules, enabled: canListRules, staleTime: 10 * 60_000 });
  const [who, setWho] = useState(citizenId ? String(citizenId) : '');
  const [what, setWhat] = useState(benefit || KNOWN_BENEFITS[0]!);
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = who.trim().toUpperCase();
    if (/^\d+$/.test(v)) return onQuery(Number(v), what);
    if (!FIN_RE.test(v)) return setError(t('benefits.trace.whoHelp'));
    try {
      const found = await api.findCitizens(v);
      const id = found.items[0]?.id;
      if (!id) return setError(t('operator.notFound', { fin: v }));
      setError(undefined);
      onQuery(id, what);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const options = rules.data ? rules.data.items.map((r) => ({ value: r.id, label: r.name })) : KNOWN_BENEFITS.map((b) => ({ value: b, label: b }));
  return (
    <form onSubmit={submit} noValidate role="search" aria-label={t('benefits.trace.title')}>
      <Group align="flex-start">
        <TextInput label={t('benefits.trace.who')} description={t('benefits.trace.whoHelp')} value={who} onChange={(e) => setWho(e.currentTarget.value)} error={error} w={260} />
        <NativeSelect label={t('benefits.trace.benefit')} value={what} onChange={(e) => setWhat(e.currentTarget.value)} data={options} w={300} />
        <Button type="submit" mt={46}>
          {t('benefits.trace.explain')}
        </Button>
      </Group>
    </form>
  );
}

function ParameterList({ parameters }: { parameters: TraceStep['parameters'] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <List size="xs" spacing={0}>
      {parameters.map((p) => (
        <List.Item key={p.name}>
          <Code>{p.name}</Code> = {p.value ?? '—'}
          {p.from ? ` ${t('benefits.trace.since', { date: fmt.date(p.from) })}` : ''}
          {p.sources?.map((s) => (
            <Text key={s.id} span size="xs" c="dimmed">
              {' · '}
              {s.url ? <Anchor href={s.url} target="_blank" rel="noreferrer" size="xs">{s.title}</Anchor> : s.title}
            </Text>
          ))}
          {p.unconfirmed ? (
            <Badge size="xs" color="yellow" ml={4}>
              {t('benefits.unconfirmed')}
            </Badge>
          ) : null}
        </List.Item>
      ))}
    </List>
  );
}

export function TraceView({ explanation: e }: { explanation: Explanation }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Stack gap="lg">
      <Section title={e.name}>
        <FactList>
          <Fact label={t('benefits.legalBasis')}>{e.legalBasis}</Fact>
          <Fact label={t('benefits.trace.date')}>{fmt.date(e.date)}</Fact>
          <Fact label={t('benefits.ruleVersion')}>{e.ruleVersion}</Fact>
        </FactList>
      </Section>
      {e.subjects.length === 0 ? <Alert color="gray">{t('benefits.trace.noSubjects')}</Alert> : null}
      {e.subjects.map((s) => (
        <Paper withBorder p="md" key={s.subjectKey} component="section" aria-label={t('benefits.trace.subject', { key: s.subjectKey })}>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              {t('benefits.trace.subject', { key: s.subjectKey })}
            </Title>
            <Group gap="xs">
              <Badge size="lg" color={OUTCOME_COLORS[s.outcome]} data-outcome={s.outcome}>
                {t(`benefits.outcome.${s.outcome}`)}
              </Badge>
              {s.amountAzn != null ? <Badge size="lg" variant="outline">{fmt.money(s.amountAzn)}</Badge> : null}
            </Group>
          </Group>
          <Text size="sm" c="dimmed" mb="sm">
            {t('benefits.trace.evaluatedOn', { date: fmt.date(s.evalDate) })}
            {s.periodFrom && e.payment === 'one_off' ? ` · ${t('benefits.paidOnce', { date: fmt.date(s.periodFrom) })}` : ''}
            {s.periodFrom && e.payment === 'monthly' ? ` · ${t('benefits.period')}: ${fmt.date(s.periodFrom)} – ${s.periodTo ? fmt.date(s.periodTo) : t('benefits.openEnded')}` : ''}
          </Text>
          {s.missing.length ? (
            <Alert color="orange" mb="sm" title={t('benefits.trace.missing')}>
              {s.missing.join(', ')}
            </Alert>
          ) : null}
          <TraceTable steps={s.trace} />
          {s.amount ? (
            <Stack gap={4} mt="sm" component="section" aria-label={t('benefits.trace.amountHeading')}>
              <Title order={3} size="h5">
                {t('benefits.trace.amountHeading')}
              </Title>
              <Text size="sm">{s.amount.explanation}</Text>
              <ParameterList parameters={s.amount.parameters} />
              <Text size="xs">{s.amount.legal}</Text>
            </Stack>
          ) : null}
        </Paper>
      ))}
    </Stack>
  );
}

function TraceTable({ steps }: { steps: TraceStep[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Table withTableBorder striped verticalSpacing="xs">
      <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{t('benefits.trace.conditions')}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('benefits.trace.condition')}</Table.Th>
          <Table.Th scope="col">{t('benefits.trace.result')}</Table.Th>
          <Table.Th scope="col">{t('benefits.trace.facts')}</Table.Th>
          <Table.Th scope="col">{t('benefits.trace.parameters')}</Table.Th>
          <Table.Th scope="col">{t('benefits.trace.law')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {steps.map((s, i) => (
          <Table.Tr key={`${s.condition}-${i}`}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {s.explanation}
              </Text>
              <Code>{s.condition}</Code>
            </Table.Td>
            <Table.Td>
              <Badge color={s.result === true ? 'green' : s.result === false ? 'red' : 'orange'}>
                {s.result === true ? t('benefits.trace.met') : s.result === false ? t('benefits.trace.notMet') : t('benefits.trace.unknown')}
              </Badge>
            </Table.Td>
            <Table.Td>
              {Object.keys(s.facts).length ? (
                <List size="xs" spacing={0}>
                  {Object.entries(s.facts).map(([k, v]) => (
                    <List.Item key={k}>
                      <Code>{k}</Code> = {v ?? '—'}
                    </List.Item>
                  ))}
                </List>
              ) : (
                '—'
              )}
            </Table.Td>
            <Table.Td>
              {s.parameters.length ? (
                <ParameterList parameters={s.parameters} />
              ) : (
                '—'
              )}
            </Table.Td>
            <Table.Td>
              <Text size="xs">{s.legal}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
