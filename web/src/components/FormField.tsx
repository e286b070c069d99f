import { Checkbox, NativeSelect, NumberInput, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Field } from '../types.ts';
import { useL } from './format.ts';
import type { FormValue } from './validation.ts';

export interface FormFieldProps {
  field: Field;
  value: FormValue;
  onChange: (value: FormValue) => void;
  error?: string;
  /** Filled from the registry: shown, not editable. */
  readOnly?: boolean;
}

/** The one renderer for a service form field, by its type. */
export function FormField({ field, value, onChange, error, readOnly }: FormFieldProps) {
  const { t } = useTranslation();
  const l = useL();
  const label = l(field.label);
  const required = Boolean(field.required) && !readOnly;
  const description = readOnly ? t('form.fromRegistry') : field.help ? l(field.help) : undefined;
  const common = {
    id: `field-${field.name}`,
    name: field.name,
    label,
    description,
    error,
    withAsterisk: required,
    'aria-required': required || undefined,
  };

  if (readOnly) {
    let display = value == null || value === '' ? t('form.notInRegistry') : String(value);
    if (field.type === 'boolean') display = value ? t('common.yes') : t('common.no');
    if (field.type === 'select') {
      const option = field.options?.find((o) => String(o.value) === String(value));
      if (option) display = l(option.label);
    }
    return <TextInput {...common} value={display} readOnly variant="filled" />;
  }

  const str = value == null ? '' : String(value);
  switch (field.type) {
    case 'textarea':
      return (
        <Textarea
          {...common}
          value={str}
          onChange={(e) => onChange(e.currentTarget.value)}
          maxLength={field.maxLength}
          autosize
          minRows={3}
        />
      );
    case 'number':
    case 'money':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' || typeof value === 'string' ? value : ''}
          onChange={(v) => onChange(v)}
          min={field.min !== undefined ? Number(field.min) : field.type === 'money' ? 0 : undefined}
          max={field.max !== undefined ? Number(field.max) : undefined}
          decimalScale={field.type === 'money' ? 2 : undefined}
          allowDecimal={field.type === 'money'}
          rightSection={field.type === 'money' ? <span aria-hidden="true">₼</span> : undefined}
          hideControls={field.type === 'money'}
        />
      );
    case 'date':
      return (
        <TextInput
          {...common}
          type="date"
          value={str}
          onChange={(e) => onChange(e.currentTarget.value)}
          min={typeof field.min === 'string' ? field.min : undefined}
          max={typeof field.max === 'string' ? field.max : undefined}
        />
      );
    case 'select':
      return (
        <NativeSelect
          {...common}
          value={str}
          onChange={(e) => onChange(e.currentTarget.value)}
          data={[
            { value: '', label: t('form.choose') },
            ...(field.options ?? []).map((o) => ({ value: String(o.value), label: l(o.label) })),
          ]}
        />
      );
    case 'boolean':
      return (
        <Checkbox
          id={common.id}
          name={field.name}
          label={label}
          description={description}
          error={error}
          aria-required={required || undefined}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case 'fin':
      return (
        <TextInput
          {...common}
          value={str}
          onChange={(e) => onChange(e.currentTarget.value.toUpperCase())}
          maxLength={7}
          autoComplete="off"
          spellCheck={false}
          styles={{ input: { textTransform: 'uppercase', fontFamily: 'monospace' } }}
        />
      );
    case 'phone':
      return (
        <TextInput
          {...common}
          type="tel"
          autoComplete="tel"
          placeholder="+994501234567"
          value={str}
          onChange={(e) => onChange(e.currentTarget.value)}
          maxLength={13}
        />
      );
    case 'email':
      return (
        <TextInput
          {...common}
          type="email"
          autoComplete="email"
          value={str}
          onChange={(e) => onChange(e.currentTarget.value)}
          maxLength={field.maxLength}
        />
      );
    case 'text':
    default:
      return (
        <TextInput {...common} value={str} onChange={(e) => onChange(e.currentTarget.value)} maxLength={field.maxLength} />
      );
  }
}
