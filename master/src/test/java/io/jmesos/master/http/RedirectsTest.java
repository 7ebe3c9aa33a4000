package io.jmesos.master.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.Actor;
import io.jmesos.actor.ManualClock;
import io.jmesos.http.EventStream;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.election.Candidacy;
import io.jmesos.master.election.Leadership;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.MasterInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mesos' {@code Master::Http::redirect}: where a master that does not lead sends leader-only requests. */
@Timeout(30)
class RedirectsTest {
  private static final MasterInfo SELF = info("self", "self.example", 5050);
  private static final MasterInfo LEADER = info("leader", "leader.example", 5051);

  private final Actor actor = new Actor("redirects-test", new ManualClock());
  private final Leadership leadership = new Leadership(SELF);
  private final Candidacy candidacy = new Candidacy(leadership, actor, () -> { }, reason -> { });

  @AfterEach
  void stop() {
    actor.close();
  }

  @Test
  void aFollowerRedirectsToTheLeaderWithPathAndQuery() throws Exception {
    onActor(() -> candidacy.detected(Optional.of(LEADER)));
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("jsonp", List.of("cb"));
    query.put("q", List.of("a b/c"));

    HttpResponse response = leaderOnly(request("/state", query));

    assertThat(response.status()).isEqualTo(307);
    assertThat(response.header("Location")).isEqualTo("//leader.example:5051/state?jsonp=cb&q=a%20b%2Fc");
  }

  @Test
  void redirectPointsAtTheLeaderItself() throws Exception {
    onActor(() -> candidacy.detected(Optional.of(LEADER)));

    assertThat(toLeader(request("/redirect", Map.of())).header("Location")).isEqualTo("//leader.example:5051");
    assertThat(toLeader(request("/master/redirect", Map.of())).header("Location"))
        .isEqualTo("//leader.example:5051");
    assertThat(toLeader(request("/redirect/", Map.of())).status()).as("no redirect loop").isEqualTo(404);
  }

  @Test
  void theLeaderServesAndRedirectsToItself() throws Exception {
    onActor(candidacy::elected);

    assertThat(leaderOnly(request("/state", Map.of())).status()).isEqualTo(200);
    assertThat(toLeader(request("/redirect", Map.of())).header("Location")).isEqualTo("//self.example:5050");
  }

  @Test
  void noKnownLeaderIs503() throws Exception {
    HttpResponse response = leaderOnly(request("/api/v1/scheduler", Map.of()));

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.bodyText()).isEqualTo("No leader elected");
  }

  private HttpResponse leaderOnly(HttpRequest request) throws Exception {
    Captured responder = new Captured();
    Redirects.leaderOnly(leadership, (r, out) -> out.respond(HttpResponse.ok())).handle(request, responder);
    return responder.get();
  }

  private HttpResponse toLeader(HttpRequest request) throws Exception {
    Captured responder = new Captured();
    Redirects.toLeader(leadership, request, responder);
    return responder.get();
  }

  private void onActor(Runnable work) throws Exception {
    actor.call(() -> {
      work.run();
      return null;
    }).get(10, TimeUnit.SECONDS);
  }

  private static HttpRequest request(String path, Map<String, List<String>> query) {
    return new HttpRequest("GET", path, query, Map.of(), new byte[0], null);
  }

  private static MasterInfo info(String id, String hostname, int port) {
    return MasterInfo.newBuilder().setId(id).setIp(0x0100007f).setPort(port).setPid("master@127.0.0.1:" + port)
        .setHostname(hostname).build();
  }

  /** Captures the one response. */
  private static final class Captured implements HttpResponder {
    final CompletableFuture<HttpResponse> response = new CompletableFuture<>();

    @Override
    public void respond(HttpResponse r) {
      response.complete(r);
    }

    @Override
    public EventStream stream(int status, Map<String, String> headers) {
      throw new UnsupportedOperationException();
    }

    HttpResponse get() throws Exception {
      return response.get(10, TimeUnit.SECONDS);
    }
  }
}
