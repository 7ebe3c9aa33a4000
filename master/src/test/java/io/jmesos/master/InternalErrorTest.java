package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.allocator.Allocator;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.transport.Limits;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A handler that throws on the master's actor still answers its request, with a 500, and then aborts the master
 * (its fatal hook is called: its state may be half-changed, so it must not go on serving).
 */
@Timeout(60)
class InternalErrorTest {
  private TestCluster cluster;

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** Starts a cluster whose allocator throws from {@code method}, called on the master's actor. */
  private void startWithFailing(String method) throws Exception {
    cluster = new TestCluster(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0",
            "registry", "in_memory")), Limits.DEFAULT,
        delegate -> (Allocator) Proxy.newProxyInstance(Allocator.class.getClassLoader(),
            new Class<?>[] {Allocator.class}, (proxy, m, args) -> {
              if (m.getName().equals(method)) {
                throw new IllegalStateException("injected " + method + " failure");
              }
              try {
                return m.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
  }

  @Test
  void aCallWhoseHandlerThrowsIsAnswered500AndAbortsTheMaster() throws Exception {
    startWithFailing("reviveOffers");
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    HttpResponse suppress = scheduler.call(Call.newBuilder().setType(Call.Type.SUPPRESS));
    assertThat(cluster.fatal).isEmpty();

    HttpResponse revive = scheduler.call(Call.newBuilder().setType(Call.Type.REVIVE));

    assertThat(suppress.status()).isEqualTo(202);
    assertThat(revive.status()).isEqualTo(500);
    assertThat(revive.bodyText()).isEqualTo(
        "Failed to handle REVIVE call: java.lang.IllegalStateException: injected reviveOffers failure");
    Awaitility.await().until(() -> !cluster.fatal.isEmpty());
    assertThat(cluster.fatal).singleElement().extracting(Throwable::getMessage)
        .isEqualTo("injected reviveOffers failure");
  }

  @Test
  void aSubscribeThatFailsAfterTheStreamOpenedEndsTheStream() throws Exception {
    startWithFailing("addFramework");
    TestScheduler scheduler = cluster.scheduler(false);

    scheduler.open(Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
        .setFrameworkInfo(TestScheduler.frameworkInfo())).build());

    assertThat(scheduler.status()).isEqualTo(200);
    Awaitility.await().until(scheduler::streamClosed);
    Awaitility.await().until(() -> !cluster.fatal.isEmpty());
    assertThat(cluster.fatal.get(0)).hasMessage("injected addFramework failure");
  }
}
