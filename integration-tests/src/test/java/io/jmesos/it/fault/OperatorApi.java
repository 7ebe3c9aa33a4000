package io.jmesos.it.fault;

import io.jmesos.testing.FaultCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.mesos.Protos.SlaveID;

/** The master's v1 operator API ({@code POST /api/v1}, JSON), as an operator of a {@link FaultCluster} uses it. */
final class OperatorApi {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final URI endpoint;

  OperatorApi(FaultCluster cluster) {
    this.endpoint = URI.create("http://" + cluster.masterUrl() + "/api/v1");
  }

  /** {@code MARK_AGENT_GONE}; the master answers once the agent is marked gone (or with why not). */
  HttpResponse<String> markAgentGone(SlaveID agentId) throws IOException, InterruptedException {
    return call("{\"type\":\"MARK_AGENT_GONE\",\"mark_agent_gone\":{\"agent_id\":{\"value\":\""
        + agentId.getValue() + "\"}}}");
  }

  /** {@code DEACTIVATE_AGENT}: no offers of the agent until it is reactivated. */
  HttpResponse<String> deactivateAgent(SlaveID agentId) throws IOException, InterruptedException {
    return call("{\"type\":\"DEACTIVATE_AGENT\",\"deactivate_agent\":{\"agent_id\":{\"value\":\""
        + agentId.getValue() + "\"}}}");
  }

  /** {@code REACTIVATE_AGENT}. */
  HttpResponse<String> reactivateAgent(SlaveID agentId) throws IOException, InterruptedException {
    return call("{\"type\":\"REACTIVATE_AGENT\",\"reactivate_agent\":{\"agent_id\":{\"value\":\""
        + agentId.getValue() + "\"}}}");
  }

  /** {@code TEARDOWN} of a framework. */
  HttpResponse<String> teardown(String frameworkId) throws IOException, InterruptedException {
    return call("{\"type\":\"TEARDOWN\",\"teardown\":{\"framework_id\":{\"value\":\"" + frameworkId + "\"}}}");
  }

  private HttpResponse<String> call(String json) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
