import { useEffect, useState } from 'react';
import { App as AntApp } from 'antd';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { isApiError, onUnauthenticated } from '../api/client.ts';
import { sessionKeys } from '../api/keys.ts';
import { I18nProvider } from '../i18n/I18nProvider.tsx';
import { router } from './router.tsx';

function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache(),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will not fix itself by asking again.
        retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function App() {
  const [queryClient] = useState(createQueryClient);

  // A 401 from any request means the session ended (expired, signed out elsewhere,
  // deactivated): forget everything cached and let the session gate show the sign-in page.
  useEffect(
    () =>
      onUnauthenticated(() => {
        queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKeys.me()[0] });
        queryClient.setQueryData(sessionKeys.me(), null);
      }),
    [queryClient],
  );

  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </I18nProvider>
    </QueryClientProvider>
  );
}
