/**
 * The error a node's `storage.put` throws when its disk has no room (ENOSPC):
 * over `disk.capacityBytes`, or made full by a test (`diskFull(node, true)`).
 * Nothing was written. A model may catch it and free space (delete, then put
 * again); one that does not fails the run as a model crash, naming it.
 */

/** A put refused because the disk is full; nothing was written. */
export class DiskFullError extends Error {
  /** The POSIX name of the error, for models that test codes rather than classes. */
  readonly code = 'ENOSPC';

  constructor(
    /** The node whose disk is full. */
    readonly node: string,
    /** The key of the refused put. */
    readonly key: string,
    /** JSON length of the refused value. */
    readonly bytes: number,
    /** Room left on the disk (0 when a test made it full). */
    readonly freeBytes: number,
    /** The disk's capacity (`disk.capacityBytes`), or null: unlimited. */
    readonly capacityBytes: number | null,
    /** True when a test made the disk full (`diskFull(node, true)`), whatever its capacity. */
    readonly filled: boolean,
  ) {
    const room = filled ? 'the disk was made full by a scripted step' : `${freeBytes} of ${capacityBytes} bytes free`;
    super(`disk of ${node} is full: put "${key}" needs ${bytes} bytes, ${room}`);
    this.name = 'DiskFullError';
  }
}
