import { Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Fact, FactList } from '../../components/Fact.tsx';
import { useFormat } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useSession } from '../auth/auth.ts';
import { benefitsApi, whyPath, type Assignment, type Offer } from './benefitsApi.ts';

/** "My benefits": proactive offers to confirm in one step, assignments, reasons and legal basis. */
export function MyBenefitsPage() {
  const { t } = useTranslation();
  usePageTitle(t('benefits.mine.title'));
  const mine = useQuery({ queryKey: ['benefits', 'mine'], queryFn: benefitsApi.mine });
  return (
    <Stack gap="lg">
      <Title order={1}>{t('benefits.mine.title')}</Title>
      <Text c="dimmed">{t('benefits.mine.intro')}</Text>
      <QueryState query={mine}>
        {({ offers: all, assignments }) => {
          // Accepted offers are shown as the assignments they became.
          const offers = all.filter((o) => o.status === 'pending');
          return (
          <>
            <Section title={t('benefits.mine.offers')}>
              {offers.length === 0 ? (
                <Text c="dimmed">{t('benefits.mine.noOffers')}</Text>
              ) : (
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  {offers.map((o) => (
                    <OfferCard key={o.id} offer={o} />
                  ))}
                </SimpleGrid>
              )}
            </Section>
            <Section title={t('benefits.mine.assignments')}>
              {assignments.length === 0 ? (
                <Text c="dimmed">{t('benefits.mine.noAssignments')}</Text>
              ) : (
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  {assignments.map((a) => (
                    <AssignmentCard key={a.id} assignment={a} />
                  ))}
                </SimpleGrid>
              )}
            </Section>
          </>
          );
        }}
      </QueryState>
    </Stack>
  );
}

function BenefitFacts({ b }: { b: Offer }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <>
      <Text>{b.reason}</Text>
      <FactList cols={{ base: 1, sm: 2 }}>
        <Fact label={t('benefits.amount')}>{fmt.money(b.amountAzn)}</Fact>
        <Fact label={t('benefits.period')}>
          {fmt.date(b.periodFrom)} – {b.periodTo ? fmt.date(b.periodTo) : t('benefits.openEnded')}
        </Fact>
        <Fact label={t('benefits.legalBasis')}>{b.legalBasis}</Fact>
        <Fact label={t('benefits.ruleVersion')}>{b.ruleVersion}</Fact>
      </FactList>
    </>
  );
}

function OfferCard({ offer }: { offer: Offer }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { user } = useSession();
  const consent = useMutation({
    mutationFn: () => benefitsApi.consent(offer.id),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['benefits', 'mine'] }),
  });
  return (
    <Paper withBorder p="md" component="article" aria-label={offer.name}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {offer.name}
          </Title>
          <Badge color="orange">{t(`benefits.status.${offer.status}`, { defaultValue: offer.status })}</Badge>
        </Group>
        <BenefitFacts b={offer} />
        <ErrorAlert error={consent.error} />
        <Group>
          <Button onClick={() => consent.mutate()} loading={consent.isPending} disabled={offer.status !== 'pending'}>
            {t('benefits.mine.confirm')}
          </Button>
          {user?.citizenId ? (
            <Anchor component={Link} to={whyPath(user.citizenId, offer.benefit)}>
              {t('benefits.why')}
            </Anchor>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}

function AssignmentCard({ assignment: a }: { assignment: Assignment }) {
  const { t } = useTranslation();
  const { user } = useSession();
  return (
    <Paper withBorder p="md" component="article" aria-label={a.name}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {a.name}
          </Title>
          <Group gap={4}>
            <Badge color={a.status === 'active' ? 'green' : 'gray'}>{t(`benefits.status.${a.status}`, { defaultValue: a.status })}</Badge>
            <Badge variant="outline">{t(`benefits.payment.${a.payment}`, { defaultValue: a.payment })}</Badge>
          </Group>
        </Group>
        <BenefitFacts b={a} />
        {a.endedReason ? <Alert color="gray">{t(`benefitsEnded.reason.${a.endedReason}`, { defaultValue: a.endedReason })}</Alert> : null}
        {user?.citizenId ? (
          <Anchor component={Link} to={whyPath(user.citizenId, a.benefit)}>
            {t('benefits.why')}
          </Anchor>
        ) : null}
      </Stack>
    </Paper>
  );
}
