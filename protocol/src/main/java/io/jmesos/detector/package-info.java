/**
 * Finding the leading master from a {@code --master} value. {@link io.jmesos.detector.MasterLocation} tells a
 * ZooKeeper URL from one master's address ({@code file://} read through); a
 * {@link io.jmesos.detector.MasterDetector} reports the leader with Mesos' {@code detect(previous)} contract
 * (standalone here, ZooKeeper-backed in {@code jmesos-zookeeper}); a {@link io.jmesos.detector.LeaderWatch}
 * keeps detecting on behalf of an actor, which then talks only to the leader it was last told of.
 */
package io.jmesos.detector;
