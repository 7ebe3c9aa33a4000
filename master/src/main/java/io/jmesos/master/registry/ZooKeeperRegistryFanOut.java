package io.jmesos.master.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.BackgroundCallback;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many znode reads, creates or deletes at once: all requests are sent in the background (Curator retries each on
 * connection loss with the client's retry policy) and the caller blocks, interruptibly, until every one has
 * answered, so that 64 reads cost about one round trip rather than 64.
 */
final class ZooKeeperRegistryFanOut {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperRegistryFanOut.class);

  private final CuratorFramework client;

  ZooKeeperRegistryFanOut(CuratorFramework client) {
    this.client = client;
  }

  /** The data of each path, in order; throws the first failure (e.g. {@code NoNodeException} naming the path). */
  List<byte[]> getAll(List<String> paths) throws Exception {
    List<CompletableFuture<CuratorEvent>> calls = new ArrayList<>(paths.size());
    for (String path : paths) {
      CompletableFuture<CuratorEvent> call = new CompletableFuture<>();
      calls.add(call);
      try {
        client.getData().inBackground(callback(call, Code.OK)).forPath(path);
      } catch (Exception e) {
        call.completeExceptionally(e);
      }
    }
    List<byte[]> data = new ArrayList<>(paths.size());
    for (CuratorEvent event : await(calls)) {
      data.add(event.getData());
    }
    return data;
  }

  /**
   * Creates each path (and missing parents) with its data; throws the first failure once all have answered. A
   * {@code NodeExists} answer counts as success: the callers' names are unique to one store call, so the node
   * is this call's own, created by a retry after a lost connection.
   */
  void createAll(Map<String, byte[]> nodes) throws Exception {
    List<CompletableFuture<CuratorEvent>> calls = new ArrayList<>(nodes.size());
    for (Map.Entry<String, byte[]> node : nodes.entrySet()) {
      CompletableFuture<CuratorEvent> call = new CompletableFuture<>();
      calls.add(call);
      try {
        client.create().creatingParentsIfNeeded().inBackground(callback(call, Code.NODEEXISTS))
            .forPath(node.getKey(), node.getValue());
      } catch (Exception e) {
        call.completeExceptionally(e);
      }
    }
    await(calls);
  }

  /** Deletes each path, best effort: failures other than a missing node are logged; returns how many went. */
  int deleteAll(Collection<String> paths) throws InterruptedException {
    List<CompletableFuture<CuratorEvent>> calls = new ArrayList<>(paths.size());
    for (String path : paths) {
      CompletableFuture<CuratorEvent> call = new CompletableFuture<>();
      calls.add(call);
      try {
        client.delete().inBackground(callback(call, Code.OK)).forPath(path);
      } catch (Exception e) {
        call.completeExceptionally(e);
      }
    }
    waitForAll(calls);
    int deleted = 0;
    for (CompletableFuture<CuratorEvent> call : calls) {
      try {
        call.get();
        deleted++;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof KeeperException.NoNodeException)) {
          LOG.warn("Registry node could not be deleted, a later fetch retries: {}", e.getCause().toString());
        }
      }
    }
    return deleted;
  }

  /** Completes {@code call} with the event when its result is OK or {@code alsoFine}, else with the error. */
  private static BackgroundCallback callback(CompletableFuture<CuratorEvent> call, Code alsoFine) {
    return (client, event) -> {
      Code code = Code.get(event.getResultCode());
      if (code == Code.OK || code == alsoFine) {
        call.complete(event);
      } else {
        call.completeExceptionally(KeeperException.create(code, event.getPath()));
      }
    };
  }

  /** Waits for all calls, then returns their events or throws the first failure. */
  private static List<CuratorEvent> await(List<CompletableFuture<CuratorEvent>> calls) throws Exception {
    waitForAll(calls);
    List<CuratorEvent> events = new ArrayList<>(calls.size());
    for (CompletableFuture<CuratorEvent> call : calls) {
      try {
        events.add(call.get());
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }
    return events;
  }

  private static void waitForAll(List<CompletableFuture<CuratorEvent>> calls) throws InterruptedException {
    try {
      CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get();
    } catch (ExecutionException e) {
      // Some call failed: every one has answered all the same, the caller looks at each.
    }
  }
}
