import { Badge, Group, type MantineColor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApplicationStatus, Channel, SlaState } from '../types.ts';

const STATUS_COLORS: Record<ApplicationStatus, MantineColor> = {
  submitted: 'blue',
  in_review: 'indigo',
  info_requested: 'yellow',
  approved: 'green',
  rejected: 'red',
  withdrawn: 'gray',
};

export function StatusBadge({ status }: { status: ApplicationStatus | string }) {
  const { t } = useTranslation();
  const color = STATUS_COLORS[status as ApplicationStatus] ?? 'gray';
  return (
    <Badge color={color} variant="light" data-status={status}>
      {t(`status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

const SLA_COLORS: Record<SlaState, MantineColor> = {
  ok: 'green',
  due_soon: 'orange',
  overdue: 'red',
  paused: 'gray',
  closed: 'dark',
};

/** SLA state with the working days left (or overdue) where the clock is running. */
export function SlaBadge({ state, workingDaysLeft }: { state: SlaState; workingDaysLeft: number | null }) {
  const { t } = useTranslation();
  const running = state === 'ok' || state === 'due_soon' || state === 'overdue';
  let text = t(`sla.${state}`, { defaultValue: state });
  if (running && workingDaysLeft != null) {
    text +=
      ' · ' +
      (workingDaysLeft < 0
        ? t('sla.daysLate', { count: -workingDaysLeft })
        : t('sla.daysLeft', { count: workingDaysLeft }));
  }
  return (
    <Badge color={SLA_COLORS[state] ?? 'gray'} variant={state === 'overdue' ? 'filled' : 'light'} data-sla={state}>
      {text}
    </Badge>
  );
}

export function ChannelBadges({ channels }: { channels: readonly (Channel | string)[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} aria-label={t('catalog.channels')} role="list">
      {channels.map((c) => (
        <Badge key={c} role="listitem" variant="outline" color="teal" size="sm">
          {t(`channel.${c}`, { defaultValue: c })}
        </Badge>
      ))}
    </Group>
  );
}

export function AssistedBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="grape" variant="light">
      {t('applications.assisted')}
    </Badge>
  );
}
