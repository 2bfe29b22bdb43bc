import { Alert, Anchor, Group, Progress, Stack, Text } from '@mantine/core';
import type { LeadImport } from '@parley/contract';
import type { CsvHeader } from './csvHeader';
import { importErrorText } from './importErrors';
import { isRunning } from './useImportJob';

export interface ImportProgressProps {
  job: LeadImport;
  /** The file's data rows as read in the browser before uploading (none for an import found running). */
  rows?: CsvHeader['rows'];
  /** Administrators download the report; managers only see the counts. */
  canDownload: boolean;
  pollError?: string | undefined;
}

const count = (n: number) => n.toLocaleString();

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** How far a running import is, 0-99 (100 only once it has completed); undefined when it cannot be told. */
export function importPercent(job: LeadImport, rows: CsvHeader['rows']): number | undefined {
  if (job.status === 'completed') return 100;
  if (job.status !== 'importing' || !rows || rows.count === 0) return undefined;
  return Math.min(99, Math.floor((job.rowsRead / rows.count) * 100));
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="sm">
        {value}
      </Text>
    </Stack>
  );
}

function ImportBar({ job, rows }: { job: LeadImport; rows: CsvHeader['rows'] }) {
  const percent = importPercent(job, rows);
  const text =
    percent === undefined
      ? job.status === 'uploading'
        ? 'Receiving the file'
        : 'Reading rows'
      : rows?.exact || percent === 100
        ? `${percent}%`
        : `About ${percent}%`;
  return (
    <Progress.Root size="lg">
      <Progress.Section
        value={percent ?? 100}
        animated={percent === undefined || percent < 100}
        withAria={false}
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={text}
      />
    </Progress.Root>
  );
}

/**
 * An import job as it runs and once it ends: the bar, its counts (rows read, imported,
 * duplicates, rejected), why it failed, and the report of rejected and duplicate rows.
 */
export function ImportProgress({ job, rows, canDownload, pollError }: ImportProgressProps) {
  const running = isRunning(job);
  const hasReport = job.rejected + job.duplicates > 0;
  const rowsRead =
    running && rows && rows.count > 0
      ? `${count(job.rowsRead)} of ${rows.exact ? '' : 'about '}${count(rows.count)}`
      : count(job.rowsRead);
  const headline = running
    ? job.status === 'uploading'
      ? 'Receiving the file…'
      : `Importing a ${fileSize(job.bytes)} file…`
    : job.status === 'completed'
      ? 'Import finished'
      : 'Import stopped';

  return (
    <Stack gap="sm" role="region" aria-label="Import" aria-busy={running}>
      <Text fw={600} role="status">
        {headline}
      </Text>
      {running && <ImportBar job={job} rows={rows} />}
      {job.status === 'completed' && <ImportBar job={job} rows={rows} />}
      <Group gap="xl" role="group" aria-label="Import counts">
        <Stat label="Rows read" value={rowsRead} />
        <Stat label="Imported" value={count(job.imported)} />
        <Stat label="Duplicates" value={count(job.duplicates)} />
        <Stat label="Rejected" value={count(job.rejected)} />
      </Group>
      {pollError && running && (
        <Text size="sm" c="orange.8">
          {pollError} Trying again…
        </Text>
      )}
      {job.status === 'completed' && (
        <Text size="sm">
          {count(job.imported)} of {count(job.rowsRead)} rows imported
          {job.duplicates > 0 && `; ${count(job.duplicates)} skipped as duplicates`}
          {job.rejected > 0 && `; ${count(job.rejected)} rejected`}.
        </Text>
      )}
      {job.status === 'failed' && (
        <Alert color="red" role="alert" title="The import stopped">
          {importErrorText(job.error?.code ?? 'INTERNAL', job.error?.message ?? 'It failed')}{' '}
          {job.imported > 0 && `The ${count(job.imported)} rows imported before it stopped are kept.`}
        </Alert>
      )}
      {!running &&
        hasReport &&
        (canDownload ? (
          <Anchor href={job.reportUrl} download size="sm">
            Download error report
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            Administrators can download the report of the rejected and duplicate rows.
          </Text>
        ))}
    </Stack>
  );
}
