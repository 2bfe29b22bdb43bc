import { WEB_CONNECT_PATH } from '@parley/contract';
import { lazy, Suspense } from 'react';
import { LEAD_LISTS_PATH } from './admin/adminPaths';
import { SignInPage } from './auth/SignInPage';
import { useAuth } from './auth/useAuth';
import { PageLoader } from './common/PageLoader';
import { usePathname } from './routing/usePathname';
import { DIALLER_PATH, LIVE_CALLS_PATH } from './supervision/supervisionPaths';
import { Toolbar } from './toolbar/Toolbar';

const DiallerLivePage = lazy(() =>
  import('./dialler-live/DiallerLivePage').then((module) => ({ default: module.DiallerLivePage })),
);
const HelpPage = lazy(() => import('./help/HelpPage').then((module) => ({ default: module.HelpPage })));
const InteractionsPage = lazy(() =>
  import('./supervision/InteractionsPage').then((module) => ({ default: module.InteractionsPage })),
);
const LeadListsPage = lazy(() =>
  import('./admin/LeadListsPage').then((module) => ({ default: module.LeadListsPage })),
);
const LiveCallsPage = lazy(() =>
  import('./supervision/LiveCallsPage').then((module) => ({ default: module.LiveCallsPage })),
);
const WebConnectPage = lazy(() =>
  import('./voice/WebConnectPage').then((module) => ({ default: module.WebConnectPage })),
);

export function App() {
  const pathname = usePathname();
  const { state, handleSignedIn, handleSignedOut } = useAuth();

  if (pathname === '/help') {
    return (
      <Suspense fallback={<PageLoader />}>
        <HelpPage />
      </Suspense>
    );
  }
  switch (state.status) {
    case 'checking':
      return <PageLoader />;
    case 'signedOut':
      return <SignInPage notice={state.notice} onSignedIn={handleSignedIn} />;
    case 'signedIn':
      // Signing in on the Web Connect address comes back to it: the page stays where it is.
      if (pathname === WEB_CONNECT_PATH) {
        return (
          <Suspense fallback={<PageLoader />}>
            <WebConnectPage session={state.session} onSignedOut={handleSignedOut} />
          </Suspense>
        );
      }
      if (pathname === '/interactions') {
        return (
          <Suspense fallback={<PageLoader />}>
            <InteractionsPage session={state.session} />
          </Suspense>
        );
      }
      if (pathname === LIVE_CALLS_PATH) {
        return (
          <Suspense fallback={<PageLoader />}>
            <LiveCallsPage session={state.session} onSignedOut={handleSignedOut} />
          </Suspense>
        );
      }
      if (pathname === DIALLER_PATH) {
        return (
          <Suspense fallback={<PageLoader />}>
            <DiallerLivePage session={state.session} onSignedOut={handleSignedOut} />
          </Suspense>
        );
      }
      if (pathname === LEAD_LISTS_PATH) {
        return (
          <Suspense fallback={<PageLoader />}>
            <LeadListsPage session={state.session} onSignedOut={handleSignedOut} />
          </Suspense>
        );
      }
      return <Toolbar session={state.session} onSignedOut={handleSignedOut} />;
  }
}
