import { Anchor, Badge, Code, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { hasRole, useSession } from '../features/auth/auth.ts';
import { useTranslation } from 'react-i18next';
import type { Citizen, CitizenSummary, HouseholdMember, LifeEvent } from '../types.ts';
import { DataTable } from './DataTable.tsx';
import { Fact, FactList } from './Fact.tsx';
import { useFormat } from './format.ts';
import { useDistrictName } from './reference.ts';

export function fullName(c: Pick<CitizenSummary, 'lastName' | 'firstName' | 'patronymic' | 'name'>): string {
  if (c.name) return c.name;
  return [c.lastName, c.firstName, c.patronymic].filter(Boolean).join(' ');
}

/** The key identity facts of a person (summary or full record). */
export function CitizenFacts({ citizen }: { citizen: CitizenSummary | Citizen }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const districtName = useDistrictName();
  const full = 'lifeEvents' in citizen ? citizen : null;
  return (
    <Stack gap="xs">
      <Text fw={700} size="lg">
        {fullName(citizen)}{' '}
        {citizen.deathDate ? (
          <Badge color="dark" variant="light">
            {t('citizen.deceased', { date: fmt.date(citizen.deathDate) })}
          </Badge>
        ) : null}
      </Text>
      <FactList>
        <Fact label={t('citizen.fin')}>
          <Code>{citizen.fin}</Code>
        </Fact>
        {citizen.birthDate ? <Fact label={t('citizen.birthDate')}>{fmt.date(citizen.birthDate)}</Fact> : null}
        {citizen.sex ? <Fact label={t('citizen.sex')}>{t(`sex.${citizen.sex}`, { defaultValue: citizen.sex })}</Fact> : null}
        {citizen.districtCode ? <Fact label={t('citizen.district')}>{districtName(citizen.districtCode)}</Fact> : null}
        {full ? (
          <>
            <Fact label={t('citizen.address')}>{full.address ?? '—'}</Fact>
            <Fact label={t('citizen.phone')}>{full.phone ?? '—'}</Fact>
            <Fact label={t('citizen.idCard')}>{full.idCardNumber ?? '—'}</Fact>
          </>
        ) : null}
      </FactList>
    </Stack>
  );
}

/** A full registry record: identity, household and life events. */
export function CitizenRecord({ citizen }: { citizen: Citizen }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const mayEditHousehold = hasRole(useSession().user, 'officer', 'admin');
  return (
    <Stack gap="md">
      <CitizenFacts citizen={citizen} />
      <section aria-labelledby={`household-${citizen.id}`}>
        <Title order={3} size="h5" id={`household-${citizen.id}`} mb="xs">
          {t('citizen.household')}
        </Title>
        {citizen.household && mayEditHousehold ? (
          <Anchor component={Link} to={`/officer/households/${citizen.household.id}`} size="sm">
            {t('households.open')}
          </Anchor>
        ) : null}
        {citizen.household ? (
          <DataTable<HouseholdMember>
            caption={t('citizen.household')}
            rows={citizen.household.members}
            rowKey={(m) => m.citizenId}
            columns={[
              { key: 'name', header: t('citizen.name'), render: (m) => m.name },
              { key: 'fin', header: t('citizen.fin'), render: (m) => <Code>{m.fin}</Code> },
              { key: 'relation', header: t('citizen.relation'), render: (m) => t(`relation.${m.relation}`, { defaultValue: m.relation }) },
              { key: 'birth', header: t('citizen.birthDate'), render: (m) => fmt.date(m.birthDate) },
            ]}
          />
        ) : (
          <Stack gap={4}>
            <Text c="dimmed" size="sm">
              {t('citizen.noHousehold')}
            </Text>
            {mayEditHousehold && !citizen.deathDate ? (
              <Anchor component={Link} to={`/officer/households/new?head=${citizen.id}`} size="sm">
                {t('households.create')}
              </Anchor>
            ) : null}
          </Stack>
        )}
      </section>
      <section aria-labelledby={`events-${citizen.id}`}>
        <Title order={3} size="h5" id={`events-${citizen.id}`} mb="xs">
          {t('citizen.lifeEvents')}
        </Title>
        <DataTable<LifeEvent>
          caption={t('citizen.lifeEvents')}
          rows={citizen.lifeEvents}
          rowKey={(e) => e.id}
          empty={t('citizen.noEvents')}
          columns={[
            { key: 'date', header: t('citizen.occurredOn'), render: (e) => fmt.date(e.occurredOn) },
            { key: 'type', header: t('citizen.eventType'), render: (e) => t(`lifeEvent.${e.type}`, { defaultValue: e.type }) },
            { key: 'source', header: t('citizen.source'), render: (e) => e.source },
            {
              key: 'data',
              header: t('citizen.details'),
              render: (e) =>
                Object.keys(e.data ?? {}).length ? (
                  <Text size="xs" ff="monospace">
                    {Object.entries(e.data)
                      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
                      .join(', ')}
                  </Text>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </section>
    </Stack>
  );
}
