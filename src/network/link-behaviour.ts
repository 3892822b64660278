/**
 * How one directed link behaves once its overrides are applied: the base
 * behaviour with each override's fields on top, latency field by field. The
 * network and the option validation both use this, so they agree.
 */
import type { LinkBehaviour, LinkOverride } from '../sim/options.ts';

/** `base` with `link`'s fields on top (latency field by field). */
export function linkBehaviour(base: LinkBehaviour, link: LinkOverride): LinkBehaviour {
  return {
    latency: { ...base.latency, ...link.latency },
    lossRate: link.lossRate ?? base.lossRate,
    duplicateRate: link.duplicateRate ?? base.duplicateRate,
  };
}

