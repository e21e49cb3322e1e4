/**
 * Buffers for the documents of the batches the fused step makes (straight-documents.ts): each
 * batch's documents live until its windows are acknowledged, then the sink gives them back.
 * Four: about the batches a logstash output has in flight (pipelining + 1) and one being built.
 */
import { BufferPool } from '../../../core/buffer-pool.js';

export const documentBuffers = new BufferPool(4);
