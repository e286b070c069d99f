import '@mantine/core/styles.css';
import { createTheme, MantineProvider, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError } from './api.ts';
import { App } from './App.tsx';
import { ME_KEY } from './features/auth/auth.ts';
import i18n from './i18n/index.ts';

const dostBlue: MantineColorsTuple = [
  '#e7f1ff',
  '#d0dff9',
  '#a1bcee',
  '#6f97e4',
  '#4578db',
  '#2b64d6',
  '#1b5ad5',
  '#0c4abd',
  '#0041aa',
  '#003897',
];

const theme = createTheme({
  primaryColor: 'dostBlue',
  colors: { dostBlue },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  defaultRadius: 'md',
  focusRing: 'auto',
  // Text on filled colours turns dark on light backgrounds (yellow, lime…), so it stays readable.
  autoContrast: true,
});

/**
 * WCAG AA contrast (4.5:1) for what Mantine draws in mid shades by default: dimmed text, and the
 * text of light and outline variants (badges, buttons). Checked by web/e2e/a11y.e2e.ts with axe.
 */
const darken = (hex: string, amount: number) =>
  `#${[1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * (1 - amount)).toString(16).padStart(2, '0')).join('')}`;

const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7]!,
    ...Object.fromEntries(Object.entries(t.colors).flatMap(([name, shades]) => [
      [`--mantine-color-${name}-light-color`, darken(shades[9]!, 0.3)],
      [`--mantine-color-${name}-outline`, darken(shades[9]!, 0.25)],
      [`--mantine-color-${name}-text`, darken(shades[9]!, 0.2)],
    ])),
  },
  dark: {},
});

/** A 401 anywhere means the session ended: forget the user so guarded pages send them to sign in. */
function onError(error: unknown) {
  if (error instanceof ApiError && error.status === 401 && error.code === 'UNAUTHENTICATED') {
    queryClient.setQueryData(ME_KEY, null);
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

// Labels and messages from the API come in the request language: refetch them on a switch.
i18n.on('languageChanged', () => {
  void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
