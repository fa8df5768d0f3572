import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { SessionContext, sessionQueries, useMe } from '../features/auth/session.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { FullPageSpinner } from '../components/FullPageSpinner.tsx';
import { LoadError } from '../components/LoadError.tsx';
import { PasswordChangePage } from '../features/auth/PasswordChangePage.tsx';
import { followWorkspaceZone } from '../i18n/dates.ts';

/** Renders the signed-in area, or sends the visitor to sign-in (or first-time setup). */
export function SessionGate() {
  const me = useMe();
  const location = useLocation();
  const signedOut = me.data === null;
  const setup = useQuery({ ...sessionQueries.setup(), enabled: signedOut });
  const { setLocale } = useI18n();
  const savedLocale = me.data?.user.locale;

  // The language saved in the user's profile wins over this browser's last choice.
  useEffect(() => {
    if (savedLocale) setLocale(savedLocale);
  }, [savedLocale, setLocale]);

  if (me.isPending) return <FullPageSpinner />;
  if (me.isError) return <LoadError error={me.error} onRetry={() => void me.refetch()} fullPage />;
  if (me.data) {
    // Before the pages render, so a date picker's "today" is already the workspace's (idempotent).
    followWorkspaceZone(me.data.workspace.timeZone);
    return (
      <SessionContext.Provider value={me.data}>
        {/* An administrator-set password comes first: the server answers nothing else until it is changed. */}
        {me.data.user.mustChangePassword ? <PasswordChangePage /> : <Outlet />}
      </SessionContext.Provider>
    );
  }
  if (setup.isPending) return <FullPageSpinner />;
  if (setup.data?.needed) return <Navigate to="/setup" replace />;
  const from = location.pathname + location.search;
  return <Navigate to="/sign-in" replace state={from === '/' ? undefined : { from }} />;
}
