import { Button, Group, NativeSelect, NumberInput, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/DataTable.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { benefitsApi, type Counts, type RuleParameter, type Simulation } from './benefitsApi.ts';
import { RegionChart } from './RegionChart.tsx';

/** What if: change a parameter from a date; gainers, losers and cost, by benefit and by region. */
export function SimulatorPage() {
  const { t } = useTranslation();
  usePageTitle(t('benefits.sim.title'));
  const rules = useQuery({ queryKey: ['rules'], queryFn: benefitsApi.rules, staleTime: 10 * 60_000 });
  return (
    <Stack gap="lg">
      <Title order={1}>{t('benefits.sim.title')}</Title>
      <Text c="dimmed">{t('benefits.sim.intro')}</Text>
      <QueryState query={rules}>
        {(r) => {
          const params = new Map<string, RuleParameter>();
          for (const rule of r.items) for (const v of rule.versions) for (const p of v.parameters) params.set(p.name, p);
          return <Simulator parameters={[...params.values()].sort((a, b) => a.name.localeCompare(b.name))} />;
        }}
      </QueryState>
    </Stack>
  );
}

function currentValue(p: RuleParameter | undefined): number | undefined {
  if (!p) return undefined;
  const today = new Date().toISOString().slice(0, 10);
  const inForce = p.values.filter((v) => v.from <= today).sort((a, b) => a.from.localeCompare(b.from));
  return (inForce.at(-1) ?? p.values[0])?.value;
}

function Simulator({ parameters }: { parameters: RuleParameter[] }) {
  const { t } = useTranslation();
  const [name, setName] = useState(parameters.find((p) => p.name === 'need_criterion')?.name ?? parameters[0]?.name ?? '');
  const param = parameters.find((p) => p.name === name);
  const [value, setValue] = useState<string | number>(currentValue(param) ?? '');
  const [from, setFrom] = useState(new Date().toISOString().slice(0, 10));
  const run = useMutation({ mutationFn: (body: { parameter: string; value: number; from: string }) => benefitsApi.simulate(body) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typeof value !== 'number' || !from) return;
    run.mutate({ parameter: name, value, from });
  };
  return (
    <Stack gap="lg">
      <form onSubmit={submit} noValidate aria-label={t('benefits.sim.title')}>
        <Group align="flex-end">
          <NativeSelect
            label={t('benefits.rules.parameter')}
            value={name}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setName(next);
              setValue(currentValue(parameters.find((p) => p.name === next)) ?? '');
            }}
            data={parameters.map((p) => ({ value: p.name, label: `${p.name} (${p.unit})` }))}
            w={320}
          />
          <NumberInput label={t('benefits.sim.value')} value={value} onChange={setValue} min={0} max={1_000_000} w={160} description={param ? t('benefits.sim.now', { value: currentValue(param), unit: param.unit }) : undefined} />
          <TextInput type="date" label={t('benefits.sim.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={190} />
          <Button type="submit" loading={run.isPending} disabled={typeof value !== 'number'}>
            {t('benefits.sim.run')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={run.error} />
      {run.data ? <SimulationResult sim={run.data} /> : null}
    </Stack>
  );
}

function SimulationResult({ sim }: { sim: Simulation }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const regions = useMemo(() => [...sim.regions].sort((a, b) => b.gainers + b.losers - (a.gainers + a.losers)), [sim.regions]);
  const totals: [string, string | number][] = [
    ['gainers', sim.gainers],
    ['losers', sim.losers],
    ['cost', fmt.money(sim.costChangeAzn)],
  ];
  return (
    <Stack gap="lg" aria-live="polite">
      <Section title={t('benefits.sim.result', { parameter: sim.parameter, from: fmt.date(sim.from), current: sim.current ?? '—', value: sim.value })}>
        <SimpleGrid cols={3} component="dl" m={0}>
          {totals.map(([k, v]) => (
            <Paper withBorder p="sm" key={k}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} component="dt">
                {t(`benefits.sim.${k}`)}
              </Text>
              <Text fz={28} fw={700} component="dd" m={0} data-testid={`sim-${k}`}>
                {v}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      </Section>
      <Section title={t('benefits.sim.byRegion')}>
        <RegionChart regions={regions} />
      </Section>
      <Section title={t('benefits.sim.byBenefit')}>
        <DataTable<Counts & { benefit: string }>
          caption={t('benefits.sim.byBenefit')}
          rows={sim.benefits}
          rowKey={(b) => b.benefit}
          columns={[
            { key: 'b', header: t('benefits.trace.benefit'), render: (b) => b.benefit },
            { key: 'g', header: t('benefits.sim.gainers'), render: (b) => b.gainers },
            { key: 'l', header: t('benefits.sim.losers'), render: (b) => b.losers },
            { key: 'c', header: t('benefits.sim.cost'), render: (b) => fmt.money(b.costChangeAzn) },
          ]}
        />
      </Section>
    </Stack>
  );
}
