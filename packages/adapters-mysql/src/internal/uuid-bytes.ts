import type { Uuid } from '@pet-ops/core';

/** Canonical UUID string → 16 bytes for a BINARY(16) column. */
export function uuidToBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

/** 16 bytes from a BINARY(16) column → canonical lower-case UUID string. */
export function bytesToUuid(b: Uint8Array): Uuid {
  // A view, not Buffer.from(b), which copies: this runs for every id of every row read.
  const h = (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` as Uuid;
}
