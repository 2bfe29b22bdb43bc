/** What the top bar shows at one step of fitting its row into the window's width. */
export interface TopBarFit {
  showWorkspace: boolean;
  showUser: boolean;
  showBrand: boolean;
  /** How many of the actions show as icons, from the first; the rest are in the "More" menu. */
  shownActions: number;
  /** Last resort: the status control gives up width and truncates its text. */
  shrinkStatus: boolean;
}

/** Words go before controls: the workspace name, the user's name and role, the product mark. */
const TEXT_STEPS = 3;

/** The last step: everything that can give way has. */
export function lastFitStep(actionCount: number): number {
  return TEXT_STEPS + actionCount + 1;
}

/**
 * Step 0 shows everything; each further step gives up one more thing: first the words, then the
 * actions one at a time from the last into the overflow menu, and at the end the status's width.
 */
export function topBarFitAt(step: number, actionCount: number): TopBarFit {
  const folded = Math.min(actionCount, Math.max(0, step - TEXT_STEPS));
  return {
    showWorkspace: step < 1,
    showUser: step < 2,
    showBrand: step < 3,
    shownActions: actionCount - folded,
    shrinkStatus: step >= lastFitStep(actionCount),
  };
}
