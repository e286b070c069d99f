import { Badge, Button, Group, Modal, MultiSelect, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/DataTable.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { HallFigures, useLiveHall } from './HallSummary.tsx';
import { StaffCenter } from './StaffCenter.tsx';
import { bakuTime, queueApi, type Hall, type QueueWindow } from './queueApi.ts';

/** Center manager: the live hall, opening and closing windows, changing their skills. */
export function HallPage() {
  const { t } = useTranslation();
  usePageTitle(t('queue.hall.title'));
  return <StaffCenter>{(centerCode) => <LiveHall centerCode={centerCode} />}</StaffCenter>;
}

function LiveHall({ centerCode }: { centerCode: string }) {
  const { t } = useTranslation();
  const { hall, stream } = useLiveHall(centerCode);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>
          {t('queue.hall.title')} · {centerCode}
        </Title>
        <Badge size="lg" color={stream === 'live' ? 'green' : 'orange'} role="status">
          {t(`queue.stream.${stream}`)}
        </Badge>
      </Group>
      <QueryState query={hall}>
        {(h) => (
          <>
            <HallFigures hall={h} />
            <WindowsTable hall={h} centerCode={centerCode} />
            <Section title={t('queue.hall.queue')}>
              <DataTable<Hall['queue'][number]>
                caption={t('queue.hall.queue')}
                rows={h.queue}
                rowKey={(r) => r.id}
                empty={t('queue.hall.nobodyWaiting')}
                columns={[
                  { key: 'number', header: t('queue.ticket'), render: (r) => <Text ff="monospace" fw={700}>{r.number}</Text> },
                  { key: 'service', header: t('queue.console.service'), render: (r) => r.serviceCode },
                  { key: 'priority', header: t('queue.priority.label'), render: (r) => t(`queue.priority.${r.priority}`) },
                  { key: 'queued', header: t('queue.console.queuedAt'), render: (r) => bakuTime(r.queuedAt) },
                  { key: 'target', header: t('queue.hall.targetWindow'), render: (r) => r.targetWindowNo ?? '—' },
                ]}
              />
            </Section>
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function WindowsTable({ hall, centerCode }: { hall: Hall; centerCode: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<QueueWindow | null>(null);
  const update = useMutation({
    mutationFn: ({ windowNo, body }: { windowNo: number; body: { isOpen?: boolean; skills?: string[] } }) =>
      queueApi.updateWindow(centerCode, windowNo, body),
    onSuccess: () => {
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['queue', 'hall', centerCode] });
    },
  });
  return (
    <Section title={t('queue.hall.windows')}>
      <ErrorAlert error={update.error} />
      <DataTable<QueueWindow>
        caption={t('queue.hall.windows')}
        rows={hall.windows}
        rowKey={(w) => w.windowNo}
        columns={[
          { key: 'no', header: t('queue.console.window'), render: (w) => <Text fw={700}>{w.windowNo}</Text> },
          {
            key: 'open',
            header: t('queue.hall.open'),
            render: (w) => (
              <Switch
                checked={w.isOpen}
                aria-label={t('queue.hall.openWindow', { no: w.windowNo })}
                label={w.isOpen ? t('queue.open') : t('queue.closed')}
                disabled={update.isPending}
                onChange={(e) => update.mutate({ windowNo: w.windowNo, body: { isOpen: e.currentTarget.checked } })}
              />
            ),
          },
          {
            key: 'ticket',
            header: t('queue.ticket'),
            render: (w) => (w.ticket ? `${w.ticket.number} · ${t(`queue.ticketStatus.${w.ticket.status}`, { defaultValue: w.ticket.status })}` : '—'),
          },
          { key: 'skills', header: t('queue.hall.skills'), render: (w) => t('queue.hall.skillCount', { count: w.skills.length }) },
          {
            key: 'edit',
            header: t('common.actions'),
            render: (w) => (
              <Button size="compact-sm" variant="default" onClick={() => setEditing(w)} aria-label={t('queue.hall.editSkills', { no: w.windowNo })}>
                {t('queue.hall.skills')}
              </Button>
            ),
          },
        ]}
      />
      {editing ? (
        <SkillsDialog
          window={editing}
          centerCode={centerCode}
          pending={update.isPending}
          onClose={() => setEditing(null)}
          onSave={(skills) => update.mutate({ windowNo: editing.windowNo, body: { skills } })}
        />
      ) : null}
    </Section>
  );
}

function SkillsDialog({
  window: w,
  centerCode,
  pending,
  onClose,
  onSave,
}: {
  window: QueueWindow;
  centerCode: string;
  pending: boolean;
  onClose: () => void;
  onSave: (skills: string[]) => void;
}) {
  const { t } = useTranslation();
  const l = useL();
  const services = useQuery({ queryKey: ['queue', 'services', centerCode], queryFn: () => queueApi.centerServices(centerCode) });
  const [skills, setSkills] = useState<string[]>(w.skills);
  const known = new Set((services.data ?? []).map((s) => s.serviceCode));
  const data = [
    ...(services.data ?? []).map((s) => ({ value: s.serviceCode, label: `${s.letter} · ${l(s.name)} (${s.serviceCode})` })),
    ...w.skills.filter((s) => !known.has(s)).map((s) => ({ value: s, label: s })),
  ];
  return (
    <Modal opened onClose={onClose} title={t('queue.hall.editSkills', { no: w.windowNo })} size="lg">
      <Stack>
        <MultiSelect
          label={t('queue.hall.skills')}
          data={data}
          value={skills}
          onChange={setSkills}
          searchable
          maxDropdownHeight={300}
        />
        <Group justify="flex-end">
          <Button variant="subtle" color="red" onClick={() => setSkills([])} disabled={skills.length === 0} mr="auto">
            {t('queue.hall.clearSkills')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => onSave(skills)} loading={pending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
