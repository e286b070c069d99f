import '@mantine/core/styles.css';
import { createTheme, MantineProvider, type MantineColorsTuple } from '@mantine/core';
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
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
