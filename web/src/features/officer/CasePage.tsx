import { Button, Grid, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../api.ts';
import { ActionTimeline } from '../../components/ActionTimeline.tsx';
import { CitizenFacts, CitizenRecord } from '../../components/CitizenRecord.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import type { Application, WorkflowAction } from '../../types.ts';
import { ActionForm, type ActionFormValues } from '../applications/ActionForm.tsx';
import { ApplicationFacts, FormDataView } from '../applications/ApplicationFacts.tsx';
import { lastSeq, useApplication, useApplicationAction } from '../applications/queries.ts';
import { useSession } from '../auth/auth.ts';

/** The officer's case view. */
export function CasePage() {
  const { reference } = useParams();
  const query = useApplication(reference);
  return <QueryState query={query}>{(app) => <Case app={app} />}</QueryState>;
}

interface DialogSpec {
  commentRequired: boolean;
  withReason?: boolean;
  color?: string;
}

/** Actions that need a comment or reason first; the others run on click. */
const DIALOGS: Partial<Record<WorkflowAction, DialogSpec>> = {
  request_info: { commentRequired: true },
  provide_info: { commentRequired: true },
  approve: { commentRequired: false, color: 'green' },
  reject: { commentRequired: false, withReason: true, color: 'red' },
};

const ORDER: WorkflowAction[] = ['assign', 'start_review', 'request_info', 'provide_info', 'approve', 'reject'];

function Case({ app }: { app: Application }) {
  const { t } = useTranslation();
  const l = useL();
  usePageTitle(app.reference);
  const { user } = useSession();
  const act = useApplicationAction(app.reference);
  const [dialog, setDialog] = useState<WorkflowAction | null>(null);
  const [showRecord, setShowRecord] = useState(false);
  const record = useQuery({
    queryKey: ['citizens', app.citizenId],
    queryFn: () => api.citizen(app.citizenId),
    enabled: showRecord,
  });

  const run = (action: WorkflowAction, values: ActionFormValues = {}) => {
    act.mutate(
      {
        action,
        ...values,
        ...(action === 'assign' ? { data: { assigneeId: user?.id } } : {}),
        expectedSeq: lastSeq(app),
      },
      { onSuccess: () => setDialog(null) },
    );
  };

  const actions = ORDER.filter((a) => app.allowedActions.includes(a));
  const spec = dialog ? DIALOGS[dialog] : undefined;
  const label = (a: WorkflowAction) => t(a === 'assign' ? 'case.assignToMe' : `case.do.${a}`);

  return (
    <Stack gap="lg">
      <div>
        <Text size="sm" c="dimmed" ff="monospace">
          {app.reference}
        </Text>
        <Title order={1}>{l(app.service.name)}</Title>
      </div>
      {act.isError ? <ErrorAlert error={act.error} /> : null}
      <Section title={t('case.actions')}>
        {actions.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('case.noActions')}
          </Text>
        ) : (
          <Group gap="sm">
            {actions.map((a) => (
              <Button
                key={a}
                color={DIALOGS[a]?.color}
                variant={a === 'reject' ? 'outline' : 'filled'}
                loading={act.isPending && act.variables?.action === a}
                disabled={act.isPending}
                onClick={() => (DIALOGS[a] ? setDialog(a) : run(a))}
              >
                {label(a)}
              </Button>
            ))}
          </Group>
        )}
      </Section>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <Section title={t('case.slaClock')}>
              <ApplicationFacts app={app} />
            </Section>
            <Section title={t('case.citizen')}>
              {record.data ? (
                <CitizenRecord citizen={record.data} />
              ) : (
                <>
                  {app.citizen ? <CitizenFacts citizen={app.citizen} /> : <Text>{app.citizenName}</Text>}
                  {showRecord ? (
                    <QueryState query={record}>{() => null}</QueryState>
                  ) : (
                    <Group mt="sm">
                      <Button variant="light" onClick={() => setShowRecord(true)}>
                        {t('case.loadRecord')}
                      </Button>
                    </Group>
                  )}
                </>
              )}
            </Section>
            <Section title={t('applications.formData')}>
              <FormDataView app={app} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Section title={t('timeline.title')}>
            <ActionTimeline actions={app.actions} />
          </Section>
        </Grid.Col>
      </Grid>
      <Modal opened={dialog !== null} onClose={() => setDialog(null)} title={dialog ? label(dialog) : ''} centered>
        {dialog && spec ? (
          <Stack>
            {act.isError ? <ErrorAlert error={act.error} /> : null}
            <ActionForm
              key={dialog}
              commentLabel={t(dialog === 'request_info' ? 'case.whatInfo' : 'case.comment')}
              commentRequired={spec.commentRequired}
              withReason={spec.withReason}
              submitLabel={label(dialog)}
              submitColor={spec.color}
              pending={act.isPending}
              onCancel={() => setDialog(null)}
              onSubmit={(v) => run(dialog, v)}
            />
          </Stack>
        ) : null}
      </Modal>
    </Stack>
  );
}
