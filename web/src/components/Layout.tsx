import { Anchor, Box, Burger, Button, Container, Group, Stack, Text, Title } from '@mantine/core';
import { Suspense } from 'react';
import { useDisclosure } from '@mantine/hooks';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { hasRole, useLogout, useSession } from '../features/auth/auth.ts';
import type { Role, User } from '../types.ts';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import classes from './Layout.module.css';
import { Loading } from './QueryState.tsx';

interface NavItem {
  to: string;
  label: string;
  roles?: Role[];
  end?: boolean;
}

function navFor(user: User | null, t: (k: string) => string): NavItem[] {
  const items: NavItem[] = [
    { to: '/services', label: t('nav.services') },
    { to: '/my/applications', label: t('nav.myApplications'), roles: ['citizen'] },
    { to: '/my/benefits', label: t('nav.myBenefits'), roles: ['citizen'] },
    { to: '/queue/book', label: t('nav.book'), roles: ['citizen'] },
    { to: '/queue/console', label: t('nav.console'), roles: ['operator'] },
    { to: '/queue/volunteer', label: t('nav.volunteer'), roles: ['operator'] },
    { to: '/queue/hall', label: t('nav.hall'), roles: ['center_manager'] },
    { to: '/queue/report', label: t('nav.report'), roles: ['center_manager', 'analyst'] },
    { to: '/benefits/why', label: t('nav.why'), roles: ['officer', 'call_center_agent'] },
    { to: '/rules', label: t('nav.rules'), roles: ['officer', 'analyst', 'admin'], end: true },
    { to: '/rules/simulate', label: t('nav.simulate'), roles: ['analyst', 'admin'] },
    { to: '/operator', label: t('nav.operator'), roles: ['operator', 'call_center_agent'], end: true },
    { to: '/officer', label: t('nav.inbox'), roles: ['officer', 'center_manager', 'admin'], end: true },
    { to: '/admin/users', label: t('nav.users'), roles: ['admin'] },
    { to: '/admin/audit', label: t('nav.audit'), roles: ['admin'] },
    { to: '/admin/import', label: t('nav.import'), roles: ['admin'] },
    { to: '/admin/jobs', label: t('jobs.nav'), roles: ['admin'] },
    { to: '/queue/wait-times', label: t('nav.waitTimes') },
  ];
  return items.filter((i) => !i.roles || hasRole(user, ...i.roles));
}

export function Layout() {
  const { t } = useTranslation();
  const { user } = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure(false);
  const items = navFor(user, t);

  const links = items.map((item) => (
    <Anchor
      key={item.to}
      component={NavLink}
      to={item.to}
      end={item.end}
      className={classes.navLink}
      onClick={close}
    >
      {item.label}
    </Anchor>
  ));

  return (
    <Box className={classes.shell}>
      <a href="#main" className={classes.skip}>
        {t('header.skip')}
      </a>
      <Box component="header" className={classes.header}>
        <Container size="xl">
          <Group justify="space-between" wrap="nowrap" py="sm" gap="md">
            <Group gap="lg" wrap="nowrap">
              <Anchor component={Link} to="/" underline="never" aria-label={t('header.home')}>
                <Title order={2} size="h3" c="white" className={classes.brand}>
                  DOST
                </Title>
              </Anchor>
              <Box component="nav" aria-label={t('header.mainNav')} visibleFrom="md">
                <Group gap="xs">{links}</Group>
              </Box>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <LanguageSwitcher />
              {user ? (
                <>
                  <Text c="white" size="sm" visibleFrom="sm" data-testid="current-user">
                    {user.displayName}
                  </Text>
                  <Button
                    size="compact-sm"
                    variant="white"
                    loading={logout.isPending}
                    onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login') })}
                  >
                    {t('header.signOut')}
                  </Button>
                </>
              ) : (
                <Button component={Link} to="/login" size="compact-sm" variant="white">
                  {t('header.signIn')}
                </Button>
              )}
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="md"
                color="white"
                size="sm"
                aria-label={t('header.menu')}
                aria-expanded={opened}
                aria-controls="mobile-nav"
              />
            </Group>
          </Group>
          {opened ? (
            <Box component="nav" id="mobile-nav" aria-label={t('header.mainNav')} hiddenFrom="md" pb="sm">
              <Stack gap={4}>{links}</Stack>
            </Box>
          ) : null}
        </Container>
      </Box>
      <Container size="xl" component="main" id="main" tabIndex={-1} className={classes.main}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </Container>
      <Box component="footer" className={classes.footer}>
        <Container size="xl">
          <Text size="sm" c="dimmed">
            {t('footer.text')}
          </Text>
        </Container>
      </Box>
    </Box>
  );
}
