import { Button, Group, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../types.ts';
import { FormField } from './FormField.tsx';
import { toPayloadValue, validateField, type FormValue } from './validation.ts';

function initialValues(fields: Field[], prefill: Record<string, unknown>): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  for (const f of fields) {
    const v = prefill[f.name];
    if (f.prefill) out[f.name] = (v ?? null) as FormValue;
    else out[f.name] = f.type === 'boolean' ? false : '';
  }
  return out;
}

/**
 * A form rendered from a service's `form.fields`. Prefilled fields are shown read-only and
 * not sent (the server fills them itself). Calls onSubmit with the data to send.
 */
export function ServiceForm({
  fields,
  prefill,
  serverErrors,
  submitting,
  submitLabel,
  onSubmit,
}: {
  fields: Field[];
  prefill: Record<string, unknown>;
  serverErrors: Record<string, string>;
  submitting: boolean;
  submitLabel: string;
  onSubmit: (data: Record<string, unknown>) => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState(() => initialValues(fields, prefill));
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});

  // Prefilled fields are never sent: the server fills them from the registry (and refuses them).
  const isPrefilled = (f: Field) => Boolean(f.prefill);

  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    const nextErrors: Record<string, string | undefined> = {};
    const data: Record<string, unknown> = {};
    for (const f of fields) {
      if (isPrefilled(f)) continue;
      const err = validateField(f, values[f.name], t);
      if (err) nextErrors[f.name] = err;
      const v = toPayloadValue(f, values[f.name]);
      if (v !== undefined) data[f.name] = v;
    }
    setErrors(nextErrors);
    const firstInvalid = fields.find((f) => nextErrors[f.name]);
    if (firstInvalid) {
      document.getElementById(`field-${firstInvalid.name}`)?.focus();
      return;
    }
    onSubmit(data);
  };

  return (
    <form onSubmit={handleSubmit} noValidate aria-busy={submitting}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('form.requiredNote')}
        </Text>
        {fields.map((f) => (
          <FormField
            key={f.name}
            field={f}
            value={values[f.name]}
            readOnly={isPrefilled(f)}
            error={errors[f.name] ?? serverErrors[f.name]}
            onChange={(v) => {
              setValues((prev) => ({ ...prev, [f.name]: v }));
              // An edit clears the field's message, including one from the server.
              setErrors((prev) => ({ ...prev, [f.name]: '' }));
            }}
          />
        ))}
        <Group>
          <Button type="submit" loading={submitting}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
