import { Button, Checkbox, Group, NativeSelect, NumberInput, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useL } from '../../components/format.ts';
import { useCenters } from '../../components/reference.ts';
import { LANGS, ROLES, type AdminUser, type Lang, type Role } from '../../types.ts';

export interface UserFormValues {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  centerCode: string;
  citizenId: number | '';
  locale: Lang;
  disabled: boolean;
}

const USERNAME_RE = /^[a-z0-9._-]{3,64}$/;
const MIN_PASSWORD = 10;

/** Create (no `user`) or edit a user. */
export function UserForm({
  user,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  user?: AdminUser;
  pending: boolean;
  error: unknown;
  onSubmit: (values: UserFormValues) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const l = useL();
  const centers = useCenters();
  const editing = Boolean(user);
  const [v, setV] = useState<UserFormValues>({
    username: user?.username ?? '',
    displayName: user?.displayName ?? '',
    password: '',
    roles: user?.roles ?? [],
    centerCode: user?.centerCode ?? '',
    citizenId: user?.citizenId ?? '',
    locale: user?.locale ?? 'az',
    disabled: user?.disabled ?? false,
  });
  const [errors, setErrors] = useState<Partial<Record<keyof UserFormValues, string>>>({});
  const server = error instanceof ApiError ? error.fieldErrors('/') : {};
  const err = (k: keyof UserFormValues) => errors[k] ?? (errors[k] === '' ? undefined : server[k]);
  const change = <K extends keyof UserFormValues>(k: K, value: UserFormValues[K]) => {
    setV((p) => ({ ...p, [k]: value }));
    setErrors((p) => ({ ...p, [k]: '' }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Partial<Record<keyof UserFormValues, string>> = {};
    if (!editing && !USERNAME_RE.test(v.username)) next.username = t('admin.usernameRule');
    if (!v.displayName.trim()) next.displayName = t('validation.required');
    if ((!editing || v.password) && v.password.length < MIN_PASSWORD) {
      next.password = t('validation.minLength', { min: MIN_PASSWORD });
    }
    if (v.roles.length === 0) next.roles = t('admin.rolesRequired');
    setErrors(next);
    if (Object.keys(next).length) return;
    onSubmit({ ...v, displayName: v.displayName.trim() });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error ? <ErrorAlert error={error} shownFields={Object.keys(v).map((k) => `/${k}`)} /> : null}
        <TextInput
          label={t('admin.username')}
          value={v.username}
          onChange={(e) => change('username', e.currentTarget.value.toLowerCase())}
          error={err('username')}
          withAsterisk={!editing}
          readOnly={editing}
          variant={editing ? 'filled' : 'default'}
          autoComplete="off"
          data-autofocus
        />
        <TextInput
          label={t('admin.displayName')}
          value={v.displayName}
          onChange={(e) => change('displayName', e.currentTarget.value)}
          error={err('displayName')}
          withAsterisk
        />
        <PasswordInput
          label={editing ? t('admin.newPassword') : t('auth.password')}
          description={editing ? t('admin.newPasswordHelp') : undefined}
          value={v.password}
          onChange={(e) => change('password', e.currentTarget.value)}
          error={err('password')}
          withAsterisk={!editing}
          autoComplete="new-password"
        />
        <Checkbox.Group
          label={t('admin.roles')}
          value={v.roles}
          onChange={(roles) => change('roles', roles as Role[])}
          error={err('roles')}
          withAsterisk
        >
          <Group gap="sm" mt={4}>
            {ROLES.map((r) => (
              <Checkbox key={r} value={r} label={t(`role.${r}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <NativeSelect
          label={t('admin.center')}
          value={v.centerCode}
          onChange={(e) => change('centerCode', e.currentTarget.value)}
          error={err('centerCode')}
          data={[
            { value: '', label: t('admin.noCenter') },
            ...(centers.data?.items ?? []).map((c) => ({ value: c.code, label: l(c.name) })),
          ]}
        />
        {!editing ? (
          <NumberInput
            label={t('admin.citizenId')}
            description={t('admin.citizenIdHelp')}
            value={v.citizenId}
            onChange={(n) => change('citizenId', typeof n === 'number' ? n : '')}
            error={err('citizenId')}
            min={1}
            allowDecimal={false}
            hideControls
          />
        ) : null}
        <NativeSelect
          label={t('admin.locale')}
          value={v.locale}
          onChange={(e) => change('locale', e.currentTarget.value as Lang)}
          data={LANGS.map((lang) => ({ value: lang, label: t(`lang.${lang}`) }))}
        />
        {editing ? (
          <Checkbox
            label={t('admin.disabled')}
            checked={v.disabled}
            onChange={(e) => change('disabled', e.currentTarget.checked)}
          />
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={pending}>
            {editing ? t('common.save') : t('admin.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
