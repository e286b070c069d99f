import { Box, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.ts';
import type { Counts } from './benefitsApi.ts';

const GAIN = '#2f9e44';
const LOSS = '#e03131';

/**
 * Gainers and losers by region as horizontal bars (an SVG with a role of img and a label), with
 * the same figures in a table for screen readers and for copying.
 */
export function RegionChart({ regions }: { regions: (Counts & { region: string; name: string })[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (regions.length === 0) return <Text c="dimmed">{t('benefits.sim.noChange')}</Text>;
  const max = Math.max(1, ...regions.map((r) => Math.max(r.gainers, r.losers)));
  const rowH = 28;
  const labelW = 280;
  const half = 260;
  const width = labelW + half * 2 + 20;
  const height = regions.length * rowH + 30;
  const mid = labelW + half;
  const summary = regions.map((r) => `${r.name}: +${r.gainers} / −${r.losers}`).join('; ');
  return (
    <Box>
      <Group gap="md" mb="xs" aria-hidden>
        <Group gap={4}>
          <Box w={12} h={12} bg={LOSS} />
          <Text size="xs">{t('benefits.sim.losers')}</Text>
        </Group>
        <Group gap={4}>
          <Box w={12} h={12} bg={GAIN} />
          <Text size="xs">{t('benefits.sim.gainers')}</Text>
        </Group>
      </Group>
      <Box style={{ overflowX: 'auto' }}>
        <svg role="img" aria-label={`${t('benefits.sim.byRegion')}: ${summary}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`} data-testid="region-chart">
          <line x1={mid} x2={mid} y1={0} y2={height - 20} stroke="#868e96" />
          {regions.map((r, i) => {
            const y = i * rowH + 4;
            const g = (r.gainers / max) * half;
            const l = (r.losers / max) * half;
            return (
              <g key={r.region}>
                <text x={labelW - 8} y={y + 15} textAnchor="end" fontSize={12}>
                  {r.name}
                </text>
                <rect x={mid - l} y={y} width={l} height={rowH - 8} fill={LOSS}>
                  <title>{`${r.name}: −${r.losers}`}</title>
                </rect>
                <rect x={mid} y={y} width={g} height={rowH - 8} fill={GAIN}>
                  <title>{`${r.name}: +${r.gainers}`}</title>
                </rect>
                {r.losers ? (
                  <text x={mid - l - 4} y={y + 15} textAnchor="end" fontSize={11}>
                    {r.losers}
                  </text>
                ) : null}
                {r.gainers ? (
                  <text x={mid + g + 4} y={y + 15} fontSize={11}>
                    {r.gainers}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </Box>
      <Table withTableBorder mt="sm" verticalSpacing={2} fz="xs">
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
          <VisuallyHidden>{t('benefits.sim.byRegion')}</VisuallyHidden>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('benefits.sim.region')}</Table.Th>
            <Table.Th scope="col">{t('benefits.sim.gainers')}</Table.Th>
            <Table.Th scope="col">{t('benefits.sim.losers')}</Table.Th>
            <Table.Th scope="col">{t('benefits.sim.cost')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {regions.map((r) => (
            <Table.Tr key={r.region}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td>{r.gainers}</Table.Td>
              <Table.Td>{r.losers}</Table.Td>
              <Table.Td>{fmt.money(r.costChangeAzn)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
