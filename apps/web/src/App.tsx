import { lazy, Suspense } from 'react';
import { SignInPage } from './auth/SignInPage';
import { useAuth } from './auth/useAuth';
import { PageLoader } from './common/PageLoader';
import { usePathname } from './routing/usePathname';
import { Toolbar } from './toolbar/Toolbar';

const HelpPage = lazy(() => import('./help/HelpPage').then((module) => ({ default: module.HelpPage })));

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
      return <Toolbar session={state.session} onSignedOut={handleSignedOut} />;
  }
}
