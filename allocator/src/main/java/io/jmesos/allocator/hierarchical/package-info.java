/**
 * Mesos' hierarchical DRF allocator. {@link io.jmesos.allocator.hierarchical.HierarchicalDRFAllocator} is the
 * facade and actor; {@code Bookkeeping} keeps agents, frameworks, clients (a framework under a role), the role
 * tree and the sorters consistent; {@code OfferGenerator} performs one run in Mesos' two stages (quota
 * guarantees, then fair sharing under limits and headroom); {@code DrfSorter} and {@code RandomSorter} are pure
 * policies over a client tree. Quantities are {@code long[]} vectors of fixed-point scalars indexed by resource
 * name so the allocation loop does no {@code Resources} arithmetic unless an offer must be cut for quota.
 */
package io.jmesos.allocator.hierarchical;
