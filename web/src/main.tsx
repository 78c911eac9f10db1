import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { authStore } from './auth/session.ts';
import { I18nProvider } from './i18n/I18n.tsx';
import './styles/base.css';
import './styles/chrome.css';
import './styles/pages.css';
import './styles/meeting.css';
import './styles/controls.css';
import './styles/panels.css';
import './styles/dialogs.css';
import './styles/lobby.css';
import './styles/admission.css';
import './styles/reports.css';
import './styles/share.css';
import './styles/presentation.css';
import './styles/media.css';
import './styles/breakouts.css';
import './styles/minutes.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

// The session is asked for once, at start; every sign-in step then hands over its answer.
authStore.start();

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
