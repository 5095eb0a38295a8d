// First: switches zod to jitless before any schema is built (src/shared/zod-jitless.ts).
import '../shared/zod-jitless';
import * as RadixTooltip from '@radix-ui/react-tooltip';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getBridge } from './api/client';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ToastProvider } from './components/Toasts';
import { paintInitialTheme } from './lib/theme';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // Main pushes `tokens.changed`; there is no server to poll and IPC errors are not transient.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
    mutations: { retry: false },
  },
});

async function start(): Promise<void> {
  paintInitialTheme();
  // Development only: an in-memory back end when the page runs in a plain browser (no preload).
  // `import.meta.env.DEV` is false in a production build, so this branch and the chunk are dropped.
  if (import.meta.env.DEV && !getBridge()) {
    const { installFakeApi } = await import('./dev/fake-api');
    installFakeApi(new URLSearchParams(window.location.search));
  }
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <QueryClientProvider client={queryClient}>
          <RadixTooltip.Provider delayDuration={300}>
            <ToastProvider>
              <App />
            </ToastProvider>
          </RadixTooltip.Provider>
        </QueryClientProvider>
      </ErrorBoundary>
    </StrictMode>,
  );
}

void start();
