/** What the syslog and gelf sources hand a worker: messages laid end to end, with their senders. */

export interface NetworkPayload {
  /** The messages' bytes, end to end. */
  bytes: Uint8Array;
  /** End offset of each message in `bytes`. */
  ends: Uint32Array;
  /** Sender address of each message. */
  hosts: string[];
  /** Indexes of messages cut at the size limit; absent when none was. */
  truncated?: number[];
}
