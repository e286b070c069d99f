import { Paper, Title, type PaperProps } from '@mantine/core';
import { useId, type ReactNode } from 'react';

/** A bordered page section with a heading that names it for assistive technology. */
export function Section({ title, children, actions, ...paper }: { title: string; children: ReactNode; actions?: ReactNode } & PaperProps) {
  const id = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id} {...paper}>
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      {children}
      {actions}
    </Paper>
  );
}
