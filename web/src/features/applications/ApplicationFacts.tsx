import { Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AssistedBadge, SlaBadge, StatusBadge } from '../../components/badges.tsx';
import { Fact, FactList } from '../../components/Fact.tsx';
import { useFormat, useL } from '../../components/format.ts';
import type { Application } from '../../types.ts';

/**
 * Status, SLA clock and the main facts of an application, for citizen and staff views alike. The
 * citizen's view (`citizenView`) never names the officer: the API leaves the assignee out, and an
 * assigned case shows "DOST officer".
 */
export function ApplicationFacts({ app, citizenView = false }: { app: Application; citizenView?: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <StatusBadge status={app.status} />
        <SlaBadge state={app.slaState} workingDaysLeft={app.workingDaysLeft} />
        {app.assisted ? <AssistedBadge /> : null}
      </Group>
      <FactList>
        <Fact label={t('applications.submittedAt')}>{fmt.dateTime(app.submittedAt)}</Fact>
        <Fact label={t('applications.slaDueOn')}>{app.slaDueOn ? fmt.date(app.slaDueOn) : '—'}</Fact>
        <Fact label={t('applications.statusSince')}>{fmt.dateTime(app.statusSince)}</Fact>
        <Fact label={t('applications.channel')}>{t(`channel.${app.channel}`, { defaultValue: app.channel })}</Fact>
        <Fact label={t('applications.assignee')}>
          {app.assignedToName ?? (citizenView && app.actions.some((a) => a.action === 'assign' || a.action === 'start_review') ? t('timeline.staff') : t('applications.unassigned'))}
        </Fact>
        {app.decidedAt ? <Fact label={t('applications.decidedAt')}>{fmt.dateTime(app.decidedAt)}</Fact> : null}
      </FactList>
    </Stack>
  );
}

/** The submitted answers, labelled with the service form's field labels. */
export function FormDataView({ app }: { app: Application }) {
  const { t } = useTranslation();
  const l = useL();
  const fields = app.service.form?.fields ?? [];
  const known = new Set(fields.map((f) => f.name));
  const rows: { name: string; label: string; value: string }[] = [];
  const show = (v: unknown, options?: { value: string | number; label: Parameters<typeof l>[0] }[]) => {
    if (v === true) return t('common.yes');
    if (v === false) return t('common.no');
    if (v == null || v === '') return '—';
    const option = options?.find((o) => String(o.value) === String(v));
    if (option) return l(option.label);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  for (const f of fields) {
    if (f.name in app.data) rows.push({ name: f.name, label: l(f.label), value: show(app.data[f.name], f.options) });
  }
  for (const [name, v] of Object.entries(app.data)) {
    if (!known.has(name)) rows.push({ name, label: name, value: show(v) });
  }
  if (rows.length === 0) return <Text c="dimmed">{t('common.empty')}</Text>;
  return (
    <FactList cols={{ base: 1, sm: 2 }}>
      {rows.map((r) => (
        <Fact key={r.name} label={r.label}>
          {r.value}
        </Fact>
      ))}
    </FactList>
  );
}
