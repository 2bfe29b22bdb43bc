import {
  PHONE_NUMBERS_PATH,
  PHONE_SOCKET_PATH,
  PhoneClientFrame,
  PhoneNumbersResponse,
  type PhoneServerFrame,
} from '@parley/contract';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import type { CallRateLimit } from './call-rate-limit.js';
import type { CallsService } from './calls.service.js';

/** A call frame is an SDP offer (at most 20,000 characters) in a little JSON. */
const MAX_FRAME_BYTES = 32 * 1024;
/** Policy violation: a frame that is not one of the phone's. */
const CLOSE_INVALID = 1008;
/** Message too big. */
const CLOSE_TOO_BIG = 1009;

function byteLength(data: Buffer | ArrayBuffer | Buffer[]): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
}

/**
 * The customer web phone's public side: which numbers take web calls, and a WebSocket per call
 * (offer → answer, call state, hang-up). No session: what a caller may do is limited per address.
 */
export function registerPhoneRoutes(
  app: FastifyInstance,
  db: Db,
  calls: CallsService,
  limit: CallRateLimit,
): void {
  app.get(
    PHONE_NUMBERS_PATH,
    { config: { access: 'public' }, schema: { tags: ['phone'], response: { 200: PhoneNumbersResponse } } },
    async () => {
      const rows = await db
        .selectFrom('inbound_numbers')
        .innerJoin('workspaces', 'workspaces.id', 'inbound_numbers.workspace_id')
        .select(['inbound_numbers.number', 'inbound_numbers.name', 'workspaces.name as workspace'])
        .where('inbound_numbers.web_phone', '=', true)
        .where('inbound_numbers.purpose', '=', 'customer')
        .orderBy('workspaces.name')
        .orderBy('inbound_numbers.name')
        .execute();
      return { numbers: rows.map((r) => ({ number: r.number, name: `${r.workspace} · ${r.name}` })) };
    },
  );

  app.get(
    PHONE_SOCKET_PATH,
    { websocket: true, config: { access: 'public' }, schema: { hide: true } },
    (socket, req) => handleCaller(socket, req.ip, calls, limit, app.log),
  );
}

function handleCaller(
  socket: WebSocket,
  source: string,
  calls: CallsService,
  limit: CallRateLimit,
  log: FastifyInstance['log'],
): void {
  let placing: Promise<string | undefined> | undefined;
  let closed = false;
  const send = (frame: PhoneServerFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const caller = { send, close: () => socket.close(1000, 'call ended') };
  const refuse = (code: string, message: string) => {
    send({ type: 'error', code, message });
    socket.close(1000, 'call refused');
  };
  // A caller's page never sends a bad frame: whatever does is told so and cut off, and closing
  // the socket hangs up any call it placed.
  const invalid = (message: string, closeCode = CLOSE_INVALID) => {
    send({ type: 'error', code: 'WS_INVALID_FRAME', message });
    socket.close(closeCode, 'invalid frame');
  };
  const hangUp = async () => {
    const callId = await placing;
    if (callId) await calls.customerHungUp(callId);
  };

  socket.on('message', (data, isBinary) => {
    if (closed || socket.readyState !== socket.OPEN) return;
    if (byteLength(data) > MAX_FRAME_BYTES) {
      invalid(`Frames are at most ${MAX_FRAME_BYTES} bytes`, CLOSE_TOO_BIG);
      return;
    }
    let frame: unknown;
    try {
      frame = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      frame = undefined;
    }
    if (!Value.Check(PhoneClientFrame, frame)) {
      invalid('Unknown or malformed frame');
      return;
    }
    if (frame.type === 'hangup') {
      hangUp().catch((err) => log.error({ err }, 'web phone hang-up failed'));
      return;
    }
    if (placing) {
      invalid('One call per connection');
      return;
    }
    const slot = limit.acquire(source);
    if (!slot.ok) {
      placing = Promise.resolve(undefined);
      refuse('RATE_LIMITED', `Too many calls from your address; try again in ${slot.retryAfterSeconds} s`);
      return;
    }
    socket.once('close', () => limit.release(source));
    placing = calls.placeWebCall(caller, frame.number, frame.sdp).then(
      async (callId) => {
        if (closed) await calls.customerHungUp(callId);
        return callId;
      },
      (err: unknown) => {
        if (err instanceof AppError) refuse(err.code, err.message);
        else {
          log.error({ err }, 'web phone call failed');
          refuse('INTERNAL', 'The call could not be placed');
        }
        return undefined;
      },
    );
  });
  socket.on('close', () => {
    closed = true;
    hangUp().catch((err) => log.error({ err }, 'web phone hang-up failed'));
  });
}
