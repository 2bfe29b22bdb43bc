import { type Static, Type } from '@sinclair/typebox';
import { Strict, Timestamp, Uuid } from './common.js';

/*
 * Supervision of live calls (Q1) and Agent Assist (I8): managers see the calls of their teams'
 * agents, are told at once when an agent asks for help, and join a call from their own voice path
 * (Web Connect, or their phone by call-in or call-me) to listen, whisper or barge.
 */

/**
 * Listen: hears the customer and the agent, heard by nobody. Whisper: hears both, heard by the
 * agent only. Barge: a full party, heard by everyone.
 */
export const MonitorMode = Type.Union([
  Type.Literal('listen'),
  Type.Literal('whisper'),
  Type.Literal('barge'),
]);
export type MonitorMode = Static<typeof MonitorMode>;

/** POST /api/supervision/calls/:id/monitor (join, or change how); .../monitor/stop leaves. */
export const MonitorBody = Strict({ mode: MonitorMode });
export type MonitorBody = Static<typeof MonitorBody>;

/** A call in conversation, as a manager sees it (GET /api/supervision/calls). */
export const LiveCall = Type.Object({
  /** The agent's interaction for the call: what the monitor routes take. */
  id: Uuid,
  agentId: Uuid,
  agentName: Type.String(),
  campaignId: Uuid,
  campaignName: Type.String(),
  customerPhone: Type.String(),
  /** When the agent took the call: its elapsed time counts from here. */
  since: Timestamp,
  state: Type.Union([
    Type.Literal('connected'),
    Type.Literal('held'),
    Type.Literal('consulting'),
    Type.Literal('conference'),
  ]),
  /** When the agent asked for help (Agent Assist), until a manager joins or the call ends. */
  assistRequestedAt: Type.Optional(Timestamp),
  /** The manager on the call now, and how. */
  monitoredBy: Type.Optional(Type.Object({ userId: Uuid, name: Type.String(), mode: MonitorMode })),
});
export type LiveCall = Static<typeof LiveCall>;
