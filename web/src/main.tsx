import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getToken } from './api/client';
import { initI18n, initialLanguage, pseudoEnabled } from './i18n';
import { LoginForm } from './pages/Login';
import './styles.css';

// The first load is kept light: someone arriving at /login without a session
// gets the login form alone (no router, no query cache, no other page); the
// rest of the app is a chunk loaded once they are in, or at once for anyone
// opening another address.
const root = createRoot(document.getElementById('root')!);

function mountApp() {
  void import('./AppRoot').then(({ AppRoot }) => root.render(<AppRoot />));
}

function start() {
  const { pathname, search } = window.location;
  if (pathname !== '/login' || getToken()) {
    mountApp();
    return;
  }
  const next = new URLSearchParams(search).get('next');
  root.render(
    <StrictMode>
      <LoginForm
        next={next}
        onLoggedIn={(to) => {
          window.history.replaceState(null, '', to);
          mountApp();
        }}
      />
    </StrictMode>,
  );
}

// The shared texts of the starting language come first, so the first paint is already translated.
void initI18n(initialLanguage(window.location.pathname), { pseudo: pseudoEnabled() }).finally(start);
