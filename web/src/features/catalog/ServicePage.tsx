import { Alert, Badge, Button, Card, Grid, Group, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ChannelBadges } from '../../components/badges.tsx';
import { Fact, FactList } from '../../components/Fact.tsx';
import { useFormat, useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import type { ServiceDetail } from '../../types.ts';
import { hasRole, useSession } from '../auth/auth.ts';
import { useCategories, useService } from './queries.ts';

/** The service passport. */
export function ServicePage() {
  const { code } = useParams();
  const query = useService(code);
  return <QueryState query={query}>{(service) => <Passport service={service} />}</QueryState>;
}

function Passport({ service }: { service: ServiceDetail }) {
  const { t } = useTranslation();
  const l = useL();
  const fmt = useFormat();
  const { user } = useSession();
  const categories = useCategories();
  usePageTitle(l(service.name));
  const category = categories.data?.items.find((c) => c.code === service.category);
  const canApplyOnline = !service.proactive && service.channels.includes('online') && service.form.fields.length > 0;
  const isStaffOnly = user && !hasRole(user, 'citizen');

  return (
    <Stack gap="lg">
      <div>
        <Text size="sm" c="dimmed">
          {category ? l(category.name) : service.category} · {service.code}
        </Text>
        <Title order={1}>{l(service.name)}</Title>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <section aria-labelledby="about">
              <Title order={2} size="h3" id="about" mb="xs">
                {t('service.about')}
              </Title>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{l(service.description)}</Text>
            </section>
            <section aria-labelledby="documents">
              <Title order={2} size="h3" id="documents" mb="xs">
                {t('service.documents')}
              </Title>
              {service.documents.length === 0 ? (
                <Text c="dimmed">{t('service.noDocuments')}</Text>
              ) : (
                <List spacing="xs">
                  {service.documents.map((d) => (
                    <List.Item key={d.code}>
                      <Group gap="xs">
                        <Text>{l(d.name)}</Text>
                        {d.fromRegistry ? (
                          <Badge color="green" variant="light">
                            {t('service.fromRegistry')}
                          </Badge>
                        ) : null}
                      </Group>
                    </List.Item>
                  ))}
                </List>
              )}
            </section>
            <section aria-labelledby="legal">
              <Title order={2} size="h3" id="legal" mb="xs">
                {t('service.legalBasis')}
              </Title>
              <Text>{l(service.legalBasis)}</Text>
            </section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder component="aside" aria-label={t('service.facts')}>
            <Stack gap="sm">
              <FactList cols={1}>
                <Fact label={t('service.sla')}>
                  {service.slaWorkingDays > 0 ? t('catalog.slaDays', { count: service.slaWorkingDays }) : t('catalog.immediate')}
                </Fact>
                <Fact label={t('service.counter')}>{t('service.minutes', { count: service.counterMinutes })}</Fact>
                <Fact label={t('service.agency')}>{t(`agency.${service.agency}`, { defaultValue: service.agency })}</Fact>
                <Fact label={t('service.fee')}>
                  {Number(service.feeAzn) > 0 ? fmt.money(service.feeAzn) : t('service.free')}
                </Fact>
                <Fact label={t('service.channels')}>
                  <ChannelBadges channels={service.channels} />
                </Fact>
              </FactList>
              {service.proactive ? (
                <Alert color="teal" variant="light">
                  {t('service.proactiveNote')}
                </Alert>
              ) : null}
              {!service.proactive && !service.channels.includes('online') ? (
                <Alert color="blue" variant="light">
                  {t('service.inPersonNote')}
                </Alert>
              ) : null}
              {canApplyOnline && !isStaffOnly ? (
                <Button component={Link} to={`/services/${encodeURIComponent(service.code)}/apply`} size="md">
                  {t('service.apply')}
                </Button>
              ) : null}
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
