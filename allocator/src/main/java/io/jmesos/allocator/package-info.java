/**
 * The allocator: decides which framework is offered which agent's resources, as Mesos'
 * {@code mesos::allocator::Allocator}. It knows nothing of the master or the network: the master drives it with
 * method calls ({@code addSlave}, {@code recoverResources}, ...) and it answers through an {@link
 * io.jmesos.allocator.OfferCallback}. Implementations run on their own actor; every interface method only
 * enqueues work, so callers never block and never see the allocator's state. Implementations are found by name
 * through {@link java.util.ServiceLoader} ({@link io.jmesos.allocator.AllocatorProvider}), so a third party can
 * plug in another one with {@code --allocator=Name}.
 */
package io.jmesos.allocator;
