import { Alert, Badge, Button, Group, Modal, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useListParams } from '../../components/useListParams.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { ROLES, type AdminUser } from '../../types.ts';
import { UserForm, type UserFormValues } from './UserForm.tsx';

const PAGE_SIZE = 20;

/** Only what the form changed: a PATCH should not rewrite fields the admin did not touch. */
function changes(user: AdminUser, v: UserFormValues): Parameters<typeof api.updateUser>[1] {
  const patch: Parameters<typeof api.updateUser>[1] = {};
  if (v.displayName !== user.displayName) patch.displayName = v.displayName;
  if ([...v.roles].sort().join() !== [...user.roles].sort().join()) patch.roles = v.roles;
  if (v.locale !== user.locale) patch.locale = v.locale;
  if (v.disabled !== user.disabled) patch.disabled = v.disabled;
  if ((v.centerCode || null) !== (user.centerCode ?? null)) patch.centerCode = v.centerCode || null;
  if (v.password) patch.password = v.password;
  return patch;
}

export function UsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.users'));
  const qc = useQueryClient();
  const { values, page, set, setPage } = useListParams(['q', 'role'] as const);
  const [q, setQ] = useState(values.q);
  const pushQ = useDebouncedCallback((v: string) => set({ q: v.trim() }), 300);
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const [notice, setNotice] = useState<string>();

  const params = { q: values.q || undefined, role: values.role || undefined, page, pageSize: PAGE_SIZE };
  const users = useQuery({
    queryKey: ['admin', 'users', params],
    queryFn: () => api.users(params),
    placeholderData: keepPreviousData,
  });

  const save = useMutation({
    mutationFn: async (v: UserFormValues): Promise<AdminUser> => {
      if (editing !== 'new' && editing !== null) {
        const patch = changes(editing, v);
        return Object.keys(patch).length ? api.updateUser(editing.id, patch) : editing;
      }
      return api.createUser({
        username: v.username,
        displayName: v.displayName,
        password: v.password,
        roles: v.roles,
        locale: v.locale,
        ...(v.centerCode ? { centerCode: v.centerCode } : {}),
        ...(v.citizenId !== '' ? { citizenId: v.citizenId } : {}),
      });
    },
    onSuccess: (user) => {
      setNotice(t(editing === 'new' ? 'admin.created' : 'admin.saved', { username: user?.username ?? '' }));
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['admin', 'users'] });
    },
  });

  const open = (u: AdminUser | 'new') => {
    save.reset();
    setNotice(undefined);
    setEditing(u);
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>{t('nav.users')}</Title>
        <Button onClick={() => open('new')}>{t('admin.newUser')}</Button>
      </Group>
      {notice ? (
        <Alert color="green" variant="light" role="status" withCloseButton closeButtonLabel={t('common.close')} onClose={() => setNotice(undefined)}>
          {notice}
        </Alert>
      ) : null}
      <Group align="flex-end" role="search" aria-label={t('admin.userSearch')}>
        <TextInput
          type="search"
          label={t('admin.search')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            pushQ(e.currentTarget.value);
          }}
        />
        <NativeSelect
          label={t('admin.role')}
          value={values.role}
          onChange={(e) => set({ role: e.currentTarget.value })}
          data={[{ value: '', label: t('admin.allRoles') }, ...ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))]}
        />
      </Group>
      <QueryState query={users}>
        {(data) => (
          <DataTable<AdminUser>
            caption={t('nav.users')}
            rows={data.items}
            rowKey={(u) => u.id}
            paging={{ page: data.page, pageSize: data.pageSize, total: data.total, onPageChange: setPage }}
            columns={[
              { key: 'username', header: t('admin.username'), render: (u) => u.username },
              { key: 'name', header: t('admin.displayName'), render: (u) => u.displayName },
              {
                key: 'roles',
                header: t('admin.roles'),
                render: (u) => (
                  <Group gap={4}>
                    {u.roles.map((r) => (
                      <Badge key={r} variant="light" size="sm">
                        {t(`role.${r}`)}
                      </Badge>
                    ))}
                  </Group>
                ),
              },
              { key: 'center', header: t('admin.center'), render: (u) => u.centerCode ?? '—' },
              {
                key: 'state',
                header: t('admin.state'),
                render: (u) =>
                  u.disabled ? (
                    <Badge color="gray">{t('admin.stateDisabled')}</Badge>
                  ) : (
                    <Badge color="green" variant="light">
                      {t('admin.stateActive')}
                    </Badge>
                  ),
              },
              {
                key: 'edit',
                header: t('common.actions'),
                render: (u) => (
                  <Button size="compact-sm" variant="light" onClick={() => open(u)} aria-label={t('admin.editUser', { username: u.username })}>
                    {t('common.edit')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </QueryState>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('admin.newUser') : t('admin.editUser', { username: editing?.username ?? '' })}
        size="lg"
      >
        {editing !== null ? (
          <UserForm
            key={editing === 'new' ? 'new' : editing.id}
            user={editing === 'new' ? undefined : editing}
            pending={save.isPending}
            error={save.error}
            onSubmit={(v) => save.mutate(v)}
            onCancel={() => setEditing(null)}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}
