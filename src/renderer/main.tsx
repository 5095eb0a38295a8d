// First: switches zod to jitless before any schema is built (src/shared/zod-jitless.ts).
import '../shared/zod-jitless';
import * as RadixTooltip from '@radix-ui/react-tooltip';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
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

function start(): void {
  paintInitialTheme();
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

start();
