/** The managers' pages, apart from the pages themselves so that linking to one does not load it. */
export const INTERACTIONS_PATH = '/interactions';
export const LIVE_CALLS_PATH = '/live-calls';
export const DIALLER_PATH = '/dialler';
