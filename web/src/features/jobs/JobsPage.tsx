import { Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { request } from '../../api.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';

interface JobRun {
  runId: number;
  job: string;
  trigger: 'schedule' | 'catch_up' | 'manual';
  status: 'running' | 'succeeded' | 'failed';
  scheduledFor: string | null;
  startedAt: string;
  finishedAt: string | null;
  startedBy: string | null;
  process: string;
  progressDone: number;
  progressTotal: number | null;
  summary: Record<string, unknown> | null;
  error: string | null;
}
interface Job { name: string; dailyAt: string; timeZone: string; nextDueAt: string; running: boolean; lastRun: JobRun | null }

/** The figures a run reports that a reader can use, by job: the sweep's totals, the escalation's counts. */
const FIGURES: Record<string, readonly string[]> = {
  'benefits.sweep': ['evaluated', 'assigned', 'offered', 'ended', 'recalculated', 'withdrawn', 'cannotDecide', 'failedRules'],
  'cases.escalate': ['checked', 'escalated', 'notified'],
};
const STATUS_COLOR = { running: 'blue', succeeded: 'green', failed: 'red' } as const;

function figuresOf(run: JobRun): [string, number][] {
  const s = run.summary ?? {};
  const source = (s.totals && typeof s.totals === 'object' ? { ...s, ...(s.totals as object) } : s) as Record<string, unknown>;
  return (FIGURES[run.job] ?? []).flatMap((k) => {
    const v = source[k];
    const n = Array.isArray(v) ? v.length : v;
    return typeof n === 'number' ? [[k, n] as [string, number]] : [];
  });
}

/** Administrators: the periodic jobs (nightly benefits sweep, SLA escalation), their runs and progress; run one now. */
export function JobsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('jobs.title'));
  const number = new Intl.NumberFormat(i18n.language);
  const fmt = useFormat();
  const qc = useQueryClient();
  const jobs = useQuery({
    queryKey: ['admin', 'jobs'],
    queryFn: () => request<Job[]>('/api/admin/jobs'),
    refetchInterval: (q) => (q.state.data?.some((j) => j.running) ? 2000 : 30_000),
  });
  const runs = useQuery({
    queryKey: ['admin', 'jobs', 'runs'],
    queryFn: () => request<{ items: JobRun[]; total: number }>('/api/admin/jobs/runs', { query: { pageSize: 20 } }),
    refetchInterval: jobs.data?.some((j) => j.running) ? 2000 : 30_000,
  });
  const start = useMutation({
    mutationFn: (job: string) => request<JobRun>(`/api/admin/jobs/${job}/runs`, { method: 'POST' }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['admin', 'jobs'] }),
  });
  /** Locale keys cannot hold the job name's dot. */
  const key = (job: string) => job.replace(/\./g, '_');
  const name = (job: string) => t(`jobs.names.${key(job)}`, { defaultValue: job });
  const figures = (run: JobRun) => figuresOf(run).map(([k, n]) => `${t(`jobs.figures.${k}`)}: ${number.format(n)}`).join(' · ');

  return (
    <Stack gap="lg">
      <Title order={1}>{t('jobs.title')}</Title>
      <Text>{t('jobs.intro')}</Text>
      <ErrorAlert error={start.error} />
      <QueryState query={jobs}>
        {(list) => (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {list.map((j) => (
              <Card key={j.name} withBorder padding="md" component="section" aria-labelledby={`job-${j.name}`}>
                <Stack gap="xs">
                  <Title order={2} size="h3" id={`job-${j.name}`}>{name(j.name)}</Title>
                  <Text size="sm">{t(`jobs.descriptions.${key(j.name)}`, { defaultValue: '' })}</Text>
                  <Text size="sm">{t('jobs.dailyAt', { time: j.dailyAt })}</Text>
                  <Text size="sm">{t('jobs.nextDue', { when: fmt.dateTime(j.nextDueAt) })}</Text>
                  {j.lastRun ? (
                    <Group gap="xs">
                      <Text size="sm">{t('jobs.lastRun')}</Text>
                      <Badge color={STATUS_COLOR[j.lastRun.status]}>{t(`jobs.status.${j.lastRun.status}`)}</Badge>
                      <Text size="sm">{fmt.dateTime(j.lastRun.startedAt)}</Text>
                    </Group>
                  ) : (
                    <Text size="sm" c="dimmed">{t('jobs.neverRun')}</Text>
                  )}
                  {j.running && j.lastRun ? (
                    <Progress
                      value={j.lastRun.progressTotal ? (100 * j.lastRun.progressDone) / j.lastRun.progressTotal : 100}
                      animated
                      aria-label={t('jobs.progress', { done: j.lastRun.progressDone, total: j.lastRun.progressTotal ?? '?' })}
                    />
                  ) : null}
                  <Group>
                    <Button onClick={() => start.mutate(j.name)} loading={start.isPending && start.variables === j.name} disabled={j.running}>
                      {j.running ? t('jobs.running') : t('jobs.runNow')}
                    </Button>
                  </Group>
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </QueryState>
      <Title order={2}>{t('jobs.runs')}</Title>
      <QueryState query={runs}>
        {(page) => (
          <DataTable<JobRun>
            caption={t('jobs.runs')}
            rows={page.items}
            rowKey={(r) => r.runId}
            empty={t('jobs.noRuns')}
            columns={[
              { key: 'job', header: t('jobs.col.job'), render: (r) => name(r.job) },
              { key: 'trigger', header: t('jobs.col.trigger'), render: (r) => t(`jobs.trigger.${r.trigger}`) },
              { key: 'status', header: t('jobs.col.status'), render: (r) => <Badge color={STATUS_COLOR[r.status]}>{t(`jobs.status.${r.status}`)}</Badge> },
              { key: 'started', header: t('jobs.col.started'), render: (r) => fmt.dateTime(r.startedAt) },
              { key: 'finished', header: t('jobs.col.finished'), render: (r) => fmt.dateTime(r.finishedAt) },
              { key: 'progress', header: t('jobs.col.progress'), render: (r) => `${r.progressDone} / ${r.progressTotal ?? '—'}` },
              { key: 'result', header: t('jobs.col.result'), render: (r) => (r.status === 'failed' ? t('jobs.failed') : figures(r) || '—') },
            ]}
          />
        )}
      </QueryState>
    </Stack>
  );
}
