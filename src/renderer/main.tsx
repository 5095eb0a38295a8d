import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

/** App-shell placeholder; the UI replaces this with the real console. */
function AppShell() {
  return (
    <main>
      <h1>TokenDesk</h1>
      <p>Zoho CRM OAuth tokens.</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AppShell />
    </StrictMode>,
  );
}
