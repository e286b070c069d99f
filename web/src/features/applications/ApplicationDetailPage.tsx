import { Alert, Button, Grid, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ActionTimeline } from '../../components/ActionTimeline.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import type { Application } from '../../types.ts';
import { ActionForm } from './ActionForm.tsx';
import { ApplicationFacts, FormDataView } from './ApplicationFacts.tsx';
import { lastSeq, useApplication, useApplicationAction } from './queries.ts';

/** A citizen's view of their own application. */
export function ApplicationDetailPage() {
  const { reference } = useParams();
  const query = useApplication(reference);
  return <QueryState query={query}>{(app) => <Detail app={app} />}</QueryState>;
}

function Detail({ app }: { app: Application }) {
  const { t } = useTranslation();
  const l = useL();
  usePageTitle(app.reference);
  const act = useApplicationAction(app.reference);
  const [confirmOpen, confirm] = useDisclosure(false);
  const can = (a: string) => app.allowedActions.includes(a);

  return (
    <Stack gap="lg">
      <div>
        <Text size="sm" c="dimmed" ff="monospace">
          {app.reference}
        </Text>
        <Title order={1}>{l(app.service.name)}</Title>
      </div>
      {act.isError ? <ErrorAlert error={act.error} /> : null}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <Section title={t('applications.statusHeading')}>
              <ApplicationFacts app={app} citizenView />
            </Section>
            {app.status === 'info_requested' && can('provide_info') ? (
              <ProvideInfo
                app={app}
                pending={act.isPending}
                onSubmit={(comment) => act.mutate({ action: 'provide_info', comment, data: {}, expectedSeq: lastSeq(app) })}
              />
            ) : null}
            <Section title={t('applications.formData')}>
              <FormDataView app={app} />
            </Section>
            {can('withdraw') ? (
              <Group>
                <Button color="red" variant="outline" onClick={confirm.open}>
                  {t('applications.withdraw')}
                </Button>
              </Group>
            ) : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Section title={t('timeline.title')}>
            <ActionTimeline actions={app.actions} />
          </Section>
        </Grid.Col>
      </Grid>
      <Modal opened={confirmOpen} onClose={confirm.close} title={t('applications.withdrawTitle')} centered>
        <Stack>
          <Text>{t('applications.withdrawConfirm')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={act.isPending}
              onClick={() =>
                act.mutate({ action: 'withdraw', expectedSeq: lastSeq(app) }, { onSettled: confirm.close })
              }
            >
              {t('applications.withdrawYes')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function ProvideInfo({
  app,
  onSubmit,
  pending,
}: {
  app: Application;
  onSubmit: (comment: string) => void;
  pending: boolean;
}) {
  const { t } = useTranslation();
  const request = [...app.actions].reverse().find((a) => a.action === 'request_info');
  return (
    <Section title={t('applications.provideInfoTitle')} bg="yellow.0">
      {request?.comment ? (
        <Alert color="yellow" variant="light" mb="sm" title={t('applications.officerAsks')}>
          {request.comment}
        </Alert>
      ) : null}
      <ActionForm
        commentLabel={t('applications.yourAnswer')}
        commentRequired
        submitLabel={t('applications.provideInfo')}
        pending={pending}
        onSubmit={(v) => onSubmit(v.comment ?? '')}
      />
    </Section>
  );
}
