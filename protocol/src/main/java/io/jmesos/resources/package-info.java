/**
 * Value semantics of Mesos resources and attributes on the v0 {@code org.apache.mesos.Protos}
 * types, after Mesos' {@code resources.cpp}, {@code values.cpp} and {@code attributes.cpp}.
 *
 * <p>{@link io.jmesos.resources.Resources} is an immutable value with Mesos' arithmetic: the
 * allocator, the master and the agent compute with it instead of with raw protobuf lists, so that
 * "addable" resources are merged one way everywhere, scalars use Mesos' three-decimal fixed point,
 * and ranges are coalesced. Validation is separate and returns errors as values
 * ({@link io.jmesos.resources.Resources#validate}), for the master to answer TASK_ERROR before it
 * touches state. Text parsing (the agent's {@code --resources} and {@code --attributes}) and the
 * defaults Mesos derives from the machine ({@link io.jmesos.resources.MachineResources}) live
 * here too. All classes are stateless or immutable, hence thread-safe.
 */
package io.jmesos.resources;
