import { QueryClientProvider } from '@tanstack/react-query';
import { act, render } from '@testing-library/react';
import { useEffect, useState, type ReactNode } from 'react';
import { MemoryRouter, useLocation, useNavigate, type Location, type NavigateFunction, type To } from 'react-router-dom';
import { createQueryClient } from '../api/query';
import { AppRoutes } from '../App';
import { AuthProvider } from '../auth/AuthContext';

interface Probe {
  location: Location | null;
  navigate: NavigateFunction | null;
}

/** Reports the router's current location and navigate function to the test. */
function RouterProbe({ into }: { into: Probe }) {
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    into.location = location;
    into.navigate = navigate;
  });
  return null;
}

/** A fresh query cache per test; retries happen (as in the app) but without the waits between them. */
export function TestQueries({ children }: { children: ReactNode }) {
  const [client] = useState(() => createQueryClient({ retryDelay: 0 }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/**
 * The whole app at `path`, as main.tsx builds it but with an in-memory router.
 * `url()` is the address the app is at now; `go()` navigates as the browser
 * would (`go(-1)` is Back).
 */
export function renderApp(path: string) {
  const probe: Probe = { location: null, navigate: null };
  const result = render(
    <MemoryRouter initialEntries={[path]}>
      <TestQueries>
        <AuthProvider>
          <AppRoutes />
        </AuthProvider>
      </TestQueries>
      <RouterProbe into={probe} />
    </MemoryRouter>,
  );
  return Object.assign(result, {
    url: () => (probe.location ? probe.location.pathname + probe.location.search : null),
    go: (to: To | number) =>
      act(() => {
        if (typeof to === 'number') void probe.navigate?.(to);
        else void probe.navigate?.(to);
      }),
  });
}
