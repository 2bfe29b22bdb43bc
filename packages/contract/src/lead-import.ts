/*
 * CSV import of leads into a lead list (G8): the mapping of columns, the import's progress and
 * its per-row error report. (Filled in with the import itself.)
 */
export {};
