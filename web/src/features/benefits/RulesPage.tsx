import { Accordion, Badge, Code, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { benefitsApi, type Rule } from './benefitsApi.ts';

/** Rules explorer: every benefit rule, its versions, effective dates, conditions and parameters. */
export function RulesPage() {
  const { t } = useTranslation();
  usePageTitle(t('benefits.rules.title'));
  const rules = useQuery({ queryKey: ['rules'], queryFn: benefitsApi.rules, staleTime: 10 * 60_000 });
  return (
    <Stack gap="lg">
      <Title order={1}>{t('benefits.rules.title')}</Title>
      <QueryState query={rules}>
        {(r) => (
          <Accordion multiple variant="separated">
            {r.items.map((rule) => (
              <Accordion.Item key={rule.id} value={rule.id}>
                <Accordion.Control>
                  <Group justify="space-between" pr="md">
                    <Text fw={600}>{rule.name}</Text>
                    <Group gap={4}>
                      <Code>{rule.id}</Code>
                      <Badge variant="light">{t('benefits.rules.versions', { count: rule.versions.length })}</Badge>
                    </Group>
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <RuleDetail rule={rule} />
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
      </QueryState>
    </Stack>
  );
}

function RuleDetail({ rule }: { rule: Rule }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Stack gap="md">
      <Text size="sm">
        <strong>{t('benefits.legalBasis')}:</strong> {rule.legalBasis}
      </Text>
      <Group gap="xs">
        <Badge color={rule.consent === 'required' ? 'orange' : 'green'}>{t(`benefits.consent.${rule.consent}`, { defaultValue: rule.consent })}</Badge>
        <Badge variant="outline">{t(`benefits.payment.${rule.payment}`, { defaultValue: rule.payment })}</Badge>
        {rule.triggers.map((tr) => (
          <Badge key={tr} variant="light" color="grape">
            {t('benefits.rules.trigger', { event: tr })}
          </Badge>
        ))}
      </Group>
      {rule.versions.map((v) => (
        <Stack key={v.version} gap="xs" component="section" aria-label={t('benefits.rules.version', { version: v.version })}>
          <Title order={3} size="h5">
            {t('benefits.rules.version', { version: v.version })} · {t('benefits.rules.effective', { from: fmt.date(v.effectiveFrom), to: v.effectiveTo ? fmt.date(v.effectiveTo) : '…' })}
          </Title>
          <Text size="sm" fw={600}>
            {t('benefits.trace.conditions')}
          </Text>
          <List size="sm">
            {v.conditions.map((c) => (
              <List.Item key={c.id}>
                {c.explanation} — <Text span size="xs" c="dimmed">{c.legal}</Text>
              </List.Item>
            ))}
          </List>
          <Table withTableBorder striped verticalSpacing={4}>
            <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{t('benefits.trace.parameters')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('benefits.rules.parameter')}</Table.Th>
                <Table.Th scope="col">{t('benefits.rules.description')}</Table.Th>
                <Table.Th scope="col">{t('benefits.rules.values')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {v.parameters.map((p) => (
                <Table.Tr key={p.name}>
                  <Table.Td>
                    <Code>{p.name}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{p.description}</Text>
                  </Table.Td>
                  <Table.Td>
                    {p.values.map((x) => (
                      <Text size="xs" key={x.from}>
                        {t('benefits.trace.since', { date: fmt.date(x.from) })}: {x.value} {p.unit}
                        {x.unconfirmed ? (
                          <Badge size="xs" color="yellow" ml={4}>
                            {t('benefits.unconfirmed')}
                          </Badge>
                        ) : null}
                      </Text>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      ))}
    </Stack>
  );
}
