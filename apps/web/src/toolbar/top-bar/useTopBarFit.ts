import { type RefCallback, type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { lastFitStep, type TopBarFit, topBarFitAt } from './topBarFit';

/**
 * Fits the top bar's row to its width without clipping a control. Each render that overflows
 * takes one more step (before paint, so no step in between is seen); a change of the row's width,
 * or of a slot's whose content changes (voice, status), starts again from everything shown.
 */
export function useTopBarFit(actionCount: number): {
  rowRef: RefObject<HTMLDivElement | null>;
  /** Slots whose size follows what they hold; a change there may make room or take it. */
  watchRef: RefCallback<HTMLElement>;
  fit: TopBarFit;
} {
  // Other actions start the fitting again from everything shown.
  const [fitted, setFitted] = useState({ step: 0, actionCount });
  const step = fitted.actionCount === actionCount ? fitted.step : 0;
  const setStep = (next: number) => setFitted({ step: next, actionCount });
  const rowRef = useRef<HTMLDivElement | null>(null);
  const observer = useRef<ResizeObserver | undefined>(undefined);
  const watched = useRef(new Set<HTMLElement>());
  const last = lastFitStep(actionCount);

  useLayoutEffect(() => {
    const row = rowRef.current;
    if (row && step < last && row.scrollWidth > row.clientWidth) setStep(step + 1);
  });

  useEffect(() => {
    const resize = new ResizeObserver(() => setFitted((now) => ({ ...now, step: 0 })));
    observer.current = resize;
    if (rowRef.current) resize.observe(rowRef.current);
    for (const element of watched.current) resize.observe(element);
    return () => {
      resize.disconnect();
      observer.current = undefined;
    };
  }, []);

  const watchRef = useRef<RefCallback<HTMLElement>>((element) => {
    if (!element) return;
    watched.current.add(element);
    observer.current?.observe(element);
    return () => {
      watched.current.delete(element);
      observer.current?.unobserve(element);
    };
  }).current;

  return { rowRef, watchRef, fit: topBarFitAt(Math.min(step, last), actionCount) };
}
