/**
 * How a wrong value appears in a one-line message: JSON when possible (a
 * BigInt or a cycle cannot be), clipped so the message stays one line.
 */

/** A wrong value for a one-line message: JSON when possible (not for a BigInt or a cycle), clipped to 80 characters. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value === 'bigint' ? `${value}n` : Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
