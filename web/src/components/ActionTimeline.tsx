import { Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApplicationAction } from '../types.ts';
import { useFormat } from './format.ts';

/**
 * The history of an application, oldest first. The API names the actor only to staff (and a
 * citizen's own actions); otherwise the step shows "DOST officer" with the role, in the reader's language.
 */
export function ActionTimeline({ actions }: { actions: ApplicationAction[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const sorted = [...actions].sort((a, b) => a.seq - b.seq);
  return (
    <Timeline active={sorted.length - 1} bulletSize={18} lineWidth={2} role="list" aria-label={t('timeline.label')}>
      {sorted.map((a) => (
        <Timeline.Item key={a.seq} role="listitem" title={t(`action.${a.action}`, { defaultValue: a.action })}>
          <Text size="sm" c="dimmed">
            {fmt.dateTime(a.at)} · {a.actorName ?? (a.actorRole === 'system' ? t('timeline.system') : t('timeline.staff'))} ({t(`role.${a.actorRole}`, { defaultValue: a.actorRole })})
          </Text>
          {a.reason ? (
            <Text size="sm">
              {t('timeline.reason')}: {t(`reason.${a.reason}`, { defaultValue: a.reason })}
            </Text>
          ) : null}
          {a.comment ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {a.comment}
            </Text>
          ) : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
