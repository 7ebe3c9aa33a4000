package io.jmesos.allocator.hierarchical;

import io.jmesos.resources.Resources;

/**
 * Resources a framework refused on an agent (Mesos' {@code RefusedOfferFilter} content, without allocation
 * info). Immutable apart from a one-entry memo: many frameworks refusing the same thing on one agent share one
 * refusal, and the agent's candidates stay the same objects until its resources change, so a check is usually
 * an identity comparison. Owned by the allocator's actor.
 */
final class Refusal {
  final Resources resources;
  private final long[] scalars;
  private Candidate checked;
  private boolean checkedResult;

  Refusal(Resources resources, ScalarNames names) {
    this.resources = resources;
    this.scalars = Scalars.of(resources, names);
  }

  /** True when the refused resources contain all of {@code offer}: the offer is filtered. */
  boolean covers(Candidate offer) {
    if (offer == checked) {
      return checkedResult;
    }
    boolean result = Scalars.covers(scalars, offer.scalars) && resources.contains(offer.resources);
    checked = offer;
    checkedResult = result;
    return result;
  }
}
