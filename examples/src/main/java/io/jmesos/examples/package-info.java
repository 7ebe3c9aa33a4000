/**
 * An example framework and executor that use nothing but Mesos' Java API ({@code org.apache.mesos}): they
 * are documentation of how a framework is written and, run by the integration tests against a real cluster,
 * proof that such code works unchanged on jmesos.
 */
package io.jmesos.examples;
