import { useEffect, useState } from 'react';

/** False at first, true once `ms` have passed since the component appeared. */
export function useAfterDelay(ms: number): boolean {
  const [passed, setPassed] = useState(false);
  useEffect(() => {
    const timer = window.setTimeout(() => setPassed(true), ms);
    return () => window.clearTimeout(timer);
  }, [ms]);
  return passed;
}
