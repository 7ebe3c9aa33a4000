/**
 * JSON for Mesos' HTTP APIs in Mesos' own conventions, which differ from protobuf's canonical JSON
 * mapping: snake_case proto field names, 64-bit integers as JSON numbers, explicit non-deprecated
 * defaults printed, and lenient parsing (numbers as strings, unknown fields and unknown optional
 * enum values ignored). {@link io.jmesos.json.MesosJson} is the entry point for messages; it walks
 * protobuf descriptors over Jackson trees, so it serves every generated message without per-type
 * code, and every parse error names the field path at fault. {@link io.jmesos.json.StateModels}
 * holds the few hand-written models of the classic {@code /state} endpoints (resources, attributes,
 * tasks) that Mesos renders differently from their protobufs, shared by the master and the agent.
 */
package io.jmesos.json;
