import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.js';
import type { Peer } from '../transport/sip-transport.js';

/** What a BYE needs to end a dialog: enough to hang up after the process that held it died. */
export interface DialogAddress {
  callId: string;
  localUri: string;
  remoteUri: string;
  remoteTarget: string;
  peer: Peer;
  localCseq?: number;
}

export interface StoredDialog extends DialogAddress {
  key: string;
}

/**
 * The dialogs one SIP process holds, kept in the database (`sip_dialogs`) so that its next start
 * can end what a crash left up. Writes are queued per dialog, off the call's path: a dialog that
 * ends before its row is written is removed after the write, never before it.
 */
export class DialogStore {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    /** This process's identity across restarts: host, SIP address and configured port. */
    private readonly node: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  save(key: string, d: DialogAddress): void {
    this.queue(key, async () => {
      await this.db
        .insertInto('sip_dialogs')
        .values({
          key,
          node: this.node,
          call_id: d.callId,
          local_uri: d.localUri,
          remote_uri: d.remoteUri,
          remote_target: d.remoteTarget,
          peer: JSON.stringify({ transport: d.peer.transport, address: d.peer.address, port: d.peer.port }),
          local_cseq: d.localCseq ?? 0,
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    });
  }

  remove(key: string): void {
    this.queue(key, async () => {
      await this.db.deleteFrom('sip_dialogs').where('key', '=', key).execute();
    });
  }

  /** Waits for every queued write (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  /** Dialogs this node held before it started now: a crash left them up. */
  async left(): Promise<StoredDialog[]> {
    const rows = await this.db.selectFrom('sip_dialogs').selectAll().where('node', '=', this.node).execute();
    return rows.map((r) => ({
      key: r.key,
      callId: r.call_id,
      localUri: r.local_uri,
      remoteUri: r.remote_uri,
      remoteTarget: r.remote_target,
      peer: r.peer,
      localCseq: r.local_cseq,
    }));
  }

  private queue(key: string, write: () => Promise<void>): void {
    const previous = this.pending.get(key) ?? Promise.resolve();
    const next = previous
      .then(write)
      .catch((err) => this.log.warn({ err, key }, 'stored SIP dialog not updated'))
      .finally(() => {
        if (this.pending.get(key) === next) this.pending.delete(key);
      });
    this.pending.set(key, next);
  }
}
