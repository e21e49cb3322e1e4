/**
 * What a tailing source hands to the pipeline, and how the decoder reads it back.
 *
 * The common case is `LinesPayload`: whole lines of one file, raw bytes in the file's encoding,
 * transferred to the worker; each line's offset is recomputed there from the payload's start
 * offset. With multiline joining (done at the source so an event never spans two payloads), the
 * source has decoded the lines already and hands over `EventsPayload`: joined messages with
 * their offsets.
 */
import { BufferPool } from '../core/buffer-pool.js';

export interface LinesPayload {
  /** The file's path when the lines were read. */
  path: string;
  /** Byte offset of the first line. */
  start: number;
  bytes: Uint8Array;
  /** Indexes of lines cut at max_bytes, ascending, and their full lengths in the file (delimiter included). */
  cut?: number[];
  cutLengths?: number[];
}

/** Event flags (Filebeat's `log.flags`). */
export const FLAG_MULTILINE = 1;
export const FLAG_TRUNCATED = 2;

export interface EventsPayload {
  path: string;
  messages: string[];
  /** Byte offset where each event's first line starts. */
  offsets: number[];
  /** FLAG_* bits per event. */
  flags: number[];
}

export type TailPayload = LinesPayload | EventsPayload;

/**
 * Storage for the bytes of line payloads, given back by the source once a payload is
 * acknowledged (nothing reads it then; one transferred to a worker thread is not taken back). A
 * payload waits in the queue for milliseconds, long enough for its buffer to outlive a scavenge:
 * fresh ones piled up as ~20 MB of external memory between full GCs in the agent
 * (docs/decisions/0026, "Session 9"). About one payload is acknowledged per batch written.
 */
export const payloadBuffers = new BufferPool(8);

export const isEventsPayload = (p: TailPayload): p is EventsPayload => (p as EventsPayload).messages !== undefined;

/** One line or event as the decoder sees it. */
export type LineVisitor = (text: string, offset: number, flags: number) => void;
