import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useL } from '../../components/format.ts';
import { bakuTime, type Slots } from './queueApi.ts';

/** Centers nearest first, each with its free slots as buttons. */
export function SlotPicker({
  slots,
  selected,
  onPick,
}: {
  slots: Slots;
  selected: { centerCode: string; startsAt: string } | null;
  onPick: (centerCode: string, startsAt: string) => void;
}) {
  const { t } = useTranslation();
  const l = useL();
  const centers = slots.centers.filter((c) => c.slots.some((s) => s.free > 0));
  if (centers.length === 0) return <Text role="status">{t('queue.booking.noSlots')}</Text>;
  return (
    <Stack gap="md">
      {centers.map((c) => (
        <Paper withBorder p="md" key={c.centerCode} component="section" aria-label={l(c.name)}>
          <Title order={3} size="h5" mb={4}>
            {l(c.name)}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {c.servesDistrict ? t('queue.booking.yourDistrict') : c.sameRegion ? t('queue.booking.sameRegion') : t('queue.booking.elsewhere')}
          </Text>
          <Group gap={6}>
            {c.slots
              .filter((s) => s.free > 0)
              .map((s) => {
                const on = selected?.centerCode === c.centerCode && selected.startsAt === s.startsAt;
                return (
                  <Button
                    key={s.startsAt}
                    size="xs"
                    variant={on ? 'filled' : 'default'}
                    aria-pressed={on}
                    onClick={() => onPick(c.centerCode, s.startsAt)}
                  >
                    {bakuTime(s.startsAt)}
                  </Button>
                );
              })}
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
