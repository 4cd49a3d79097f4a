import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { BrowserRouter } from 'react-router-dom';
import { createQueryClient } from './api/query';
import { AppRoutes } from './App';
import { AuthProvider } from './auth/AuthContext';

/** The whole app with its router, query cache and session; `main.tsx` loads it on demand. */
export function AppRoot() {
  const [queryClient] = useState(() => createQueryClient());
  return (
    <StrictMode>
      <BrowserRouter>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </QueryClientProvider>
      </BrowserRouter>
    </StrictMode>
  );
}
