/** The administrators' pages (managers read them), apart from the pages so that a link does not load one. */
export const LEAD_LISTS_PATH = '/admin/lead-lists';
