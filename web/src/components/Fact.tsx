import { SimpleGrid, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A description list laid out as a grid of label/value pairs. */
export function FactList({ cols = { base: 2, sm: 3 }, children }: { cols?: number | Record<string, number>; children: ReactNode }) {
  return (
    <SimpleGrid cols={cols} component="dl" m={0} spacing="sm">
      {children}
    </SimpleGrid>
  );
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0}>
        {children}
      </Text>
    </div>
  );
}
