import { Button, Group, NativeSelect, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { REJECT_REASONS } from '../../types.ts';

export interface ActionFormValues {
  comment?: string;
  reason?: string;
}

/**
 * The comment (and, for decisions, reason) form of a workflow action; used inline by the citizen's
 * "provide information" box and inside the officer's action dialog.
 */
export function ActionForm({
  commentLabel,
  commentRequired,
  withReason,
  submitLabel,
  submitColor,
  pending,
  onSubmit,
  onCancel,
}: {
  commentLabel: string;
  commentRequired: boolean;
  withReason?: boolean;
  submitLabel: string;
  submitColor?: string;
  pending: boolean;
  onSubmit: (values: ActionFormValues) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ comment?: string; reason?: string }>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = {
      comment: commentRequired && !comment.trim() ? t('validation.required') : undefined,
      reason: withReason && !reason ? t('validation.required') : undefined,
    };
    setErrors(next);
    if (next.comment || next.reason) return;
    onSubmit({ comment: comment.trim() || undefined, reason: withReason ? reason : undefined });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {withReason ? (
          <NativeSelect
            label={t('case.reason')}
            value={reason}
            withAsterisk
            error={errors.reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setErrors((p) => ({ ...p, reason: undefined }));
            }}
            data={[
              { value: '', label: t('form.choose') },
              ...REJECT_REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) })),
            ]}
          />
        ) : null}
        <Textarea
          label={commentLabel}
          value={comment}
          withAsterisk={commentRequired}
          error={errors.comment}
          onChange={(e) => {
            setComment(e.currentTarget.value);
            setErrors((p) => ({ ...p, comment: undefined }));
          }}
          autosize
          minRows={3}
          maxLength={2000}
        />
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" loading={pending} color={submitColor}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
