package io.jmesos.master.testing;

import io.jmesos.allocator.Allocator;
import io.jmesos.allocator.AllocatorOptions;
import io.jmesos.allocator.Quota;
import io.jmesos.resources.Resources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;

/**
 * A fake allocator for master tests: delegates to a real one (so offers flow) and records the options, weight
 * and quota updates it receives; its metrics come from a supplier the test sets. Thread-safe.
 */
public final class RecordingAllocator implements Allocator {
  /** One updateQuota call. */
  public record QuotaUpdate(String role, Quota quota) {}

  private final Allocator delegate;
  public volatile AllocatorOptions options;
  public final List<Map<String, Double>> weightUpdates = new CopyOnWriteArrayList<>();
  public final List<QuotaUpdate> quotaUpdates = new CopyOnWriteArrayList<>();
  public volatile Supplier<CompletableFuture<Map<String, Double>>> metrics =
      () -> CompletableFuture.completedFuture(Map.of());

  public RecordingAllocator(Allocator delegate) {
    this.delegate = delegate;
  }

  @Override
  public void initialize(AllocatorOptions options) {
    this.options = options;
    delegate.initialize(options);
  }

  @Override
  public void addFramework(FrameworkID frameworkId, FrameworkInfo info, Map<SlaveID, Resources> used,
      boolean active) {
    delegate.addFramework(frameworkId, info, used, active);
  }

  @Override
  public void removeFramework(FrameworkID frameworkId) {
    delegate.removeFramework(frameworkId);
  }

  @Override
  public void activateFramework(FrameworkID frameworkId) {
    delegate.activateFramework(frameworkId);
  }

  @Override
  public void deactivateFramework(FrameworkID frameworkId) {
    delegate.deactivateFramework(frameworkId);
  }

  @Override
  public void updateFramework(FrameworkID frameworkId, FrameworkInfo info, Set<String> suppressedRoles) {
    delegate.updateFramework(frameworkId, info, suppressedRoles);
  }

  @Override
  public void addSlave(SlaveID slaveId, SlaveInfo info, Resources total, Map<FrameworkID, Resources> used) {
    delegate.addSlave(slaveId, info, total, used);
  }

  @Override
  public void removeSlave(SlaveID slaveId) {
    delegate.removeSlave(slaveId);
  }

  @Override
  public void activateSlave(SlaveID slaveId) {
    delegate.activateSlave(slaveId);
  }

  @Override
  public void deactivateSlave(SlaveID slaveId) {
    delegate.deactivateSlave(slaveId);
  }

  @Override
  public void updateSlave(SlaveID slaveId, SlaveInfo info, Resources total) {
    delegate.updateSlave(slaveId, info, total);
  }

  @Override
  public void updateAllocation(FrameworkID frameworkId, SlaveID slaveId, Resources consumed,
      Resources converted) {
    delegate.updateAllocation(frameworkId, slaveId, consumed, converted);
  }

  @Override
  public CompletableFuture<Optional<String>> updateAvailable(SlaveID slaveId, Map<FrameworkID, Resources> rescinded,
      Resources consumed, Resources converted) {
    return delegate.updateAvailable(slaveId, rescinded, consumed, converted);
  }

  @Override
  public void recoverResources(FrameworkID frameworkId, SlaveID slaveId, Resources resources, Filters filters) {
    delegate.recoverResources(frameworkId, slaveId, resources, filters);
  }

  @Override
  public void suppressOffers(FrameworkID frameworkId, Set<String> roles) {
    delegate.suppressOffers(frameworkId, roles);
  }

  @Override
  public void reviveOffers(FrameworkID frameworkId, Set<String> roles) {
    delegate.reviveOffers(frameworkId, roles);
  }

  @Override
  public void updateWeights(Map<String, Double> weights) {
    weightUpdates.add(Map.copyOf(weights));
    delegate.updateWeights(weights);
  }

  @Override
  public void updateQuota(String role, Quota quota) {
    quotaUpdates.add(new QuotaUpdate(role, quota));
    delegate.updateQuota(role, quota);
  }

  @Override
  public CompletableFuture<Map<String, Double>> metrics() {
    return metrics.get();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
