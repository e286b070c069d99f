import { Alert, Button, Group, Radio, SegmentedControl, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { queueApi, type Survey } from './queueApi.ts';

/** Satisfaction survey of a ticket, opened by the link on the slip or in the SMS. */
export function SurveyPage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  usePageTitle(t('queue.survey.title'));
  const survey = useQuery({ queryKey: ['queue', 'survey', token], queryFn: () => queueApi.survey(token) });
  return (
    <Stack gap="lg" maw={720}>
      <Title order={1}>{t('queue.survey.title')}</Title>
      <QueryState query={survey}>{(s) => <SurveyForm token={token} survey={s} />}</QueryState>
    </Stack>
  );
}

function SurveyForm({ token, survey }: { token: string; survey: Survey }) {
  const { t } = useTranslation();
  const l = useL();
  const [rating, setRating] = useState('');
  const [comment, setComment] = useState('');
  const [answers, setAnswers] = useState<Record<string, number | boolean | string>>({});
  const [error, setError] = useState<string>();
  const send = useMutation({
    mutationFn: () =>
      queueApi.answerSurvey(token, {
        rating: Number(rating),
        comment: comment.trim() || undefined,
        answers: Object.keys(answers).length ? answers : undefined,
        channel: 'link',
      }),
  });

  if (survey.answered || send.isSuccess) {
    return (
      <Alert color="green" title={t('queue.survey.thanks')} role="status">
        {t('queue.survey.thanksText', { number: survey.ticketNumber })}
      </Alert>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!rating) {
      setError(t('queue.survey.pickRating'));
      return;
    }
    send.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Section title={t('queue.survey.ticket', { number: survey.ticketNumber })}>
        <Stack gap="lg">
          <Radio.Group
            label={t('queue.survey.rating')}
            withAsterisk
            value={rating}
            onChange={(v) => {
              setRating(v);
              setError(undefined);
            }}
            error={error}
          >
            <Group mt="xs" gap="lg">
              {[1, 2, 3, 4, 5].map((n) => (
                <Radio key={n} value={String(n)} label={t(`queue.survey.stars.${n}`)} size="md" />
              ))}
            </Group>
          </Radio.Group>
          {survey.questions.map((q) => {
            const key = String(q.id);
            if (q.kind === 'yes_no') {
              return (
                <Stack gap={4} key={q.id}>
                  <Text size="sm" fw={500} id={`q-${q.id}`}>
                    {l(q.text)}
                  </Text>
                  <SegmentedControl
                    aria-labelledby={`q-${q.id}`}
                    w={200}
                    value={answers[key] === undefined ? '' : answers[key] ? 'yes' : 'no'}
                    onChange={(v) => setAnswers((a) => ({ ...a, [key]: v === 'yes' }))}
                    data={[
                      { value: 'yes', label: t('common.yes') },
                      { value: 'no', label: t('common.no') },
                    ]}
                  />
                </Stack>
              );
            }
            if (q.kind === 'rating') {
              return (
                <Radio.Group key={q.id} label={l(q.text)} value={answers[key] ? String(answers[key]) : ''} onChange={(v) => setAnswers((a) => ({ ...a, [key]: Number(v) }))}>
                  <Group mt="xs">
                    {[1, 2, 3, 4, 5].map((n) => (
                      <Radio key={n} value={String(n)} label={String(n)} />
                    ))}
                  </Group>
                </Radio.Group>
              );
            }
            return (
              <TextInput
                key={q.id}
                label={l(q.text)}
                maxLength={500}
                value={String(answers[key] ?? '')}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setAnswers((a) => ({ ...a, [key]: v }));
                }}
              />
            );
          })}
          <Textarea label={t('queue.survey.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} maxLength={1000} autosize minRows={3} />
          <ErrorAlert error={send.error} />
          <Group>
            <Button type="submit" loading={send.isPending}>
              {t('queue.survey.send')}
            </Button>
          </Group>
        </Stack>
      </Section>
    </form>
  );
}
