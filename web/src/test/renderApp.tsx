import { act, render } from '@testing-library/react';
import { useEffect } from 'react';
import { MemoryRouter, useLocation, useNavigate, type Location, type NavigateFunction, type To } from 'react-router-dom';
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

/**
 * The whole app at `path`, as main.tsx builds it but with an in-memory router.
 * `url()` is the address the app is at now; `go()` navigates as the browser
 * would (`go(-1)` is Back).
 */
export function renderApp(path: string) {
  const probe: Probe = { location: null, navigate: null };
  const result = render(
    <MemoryRouter initialEntries={[path]}>
      <AuthProvider>
        <AppRoutes />
      </AuthProvider>
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
