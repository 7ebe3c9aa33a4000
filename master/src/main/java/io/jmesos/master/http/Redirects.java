package io.jmesos.master.http;

import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.election.Leadership;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' {@code Master::Http::redirect}: a master that does not act as the leader sends leader-only requests to
 * the leader, {@code 307} with the protocol-relative {@code Location: //<leader hostname>:<port><path>[?query]}
 * ({@code //<hostname>:<port>} alone for {@code /redirect} and {@code /master/redirect}), or answers {@code 503 No
 * leader elected} when it knows of none. Runs on I/O threads; reads {@link Leadership}, which is safe anywhere.
 */
final class Redirects {
  private static final Logger LOG = LoggerFactory.getLogger(Redirects.class);
  private static final List<String> REDIRECT_PATHS = List.of("/redirect", "/master/redirect");

  private Redirects() {}

  /** {@code handler} on the acting leader; a redirect to the leader (or 503) on any other master. */
  static HttpHandler leaderOnly(Leadership leadership, HttpHandler handler) {
    return (request, responder) -> {
      if (leadership.acting()) {
        handler.handle(request, responder);
      } else {
        toLeader(leadership, request, responder);
      }
    };
  }

  /** Answers with a redirect to the leading master, or 503 when none is known. */
  static void toLeader(Leadership leadership, HttpRequest request, HttpResponder responder) {
    Optional<MasterInfo> leader = leadership.leader();
    if (leader.isEmpty()) {
      LOG.warn("Master {} does not lead and knows no leader: failed to redirect the request for {}",
          leadership.self().getId(), request.path());
      responder.respond(HttpResponse.text(503, "No leader elected"));
      return;
    }
    if (REDIRECT_PATHS.stream().anyMatch(path -> request.path().startsWith(path + "/"))) {
      responder.respond(HttpResponse.status(404)); // as Mesos: no redirect loop through /redirect/...
      return;
    }
    MasterInfo info = leader.get();
    // Mesos looks the IP up when the leader published no hostname; ours always publish one.
    String hostname = info.hasHostname() ? info.getHostname() : info.getAddress().getIp();
    String base = "//" + hostname + ":" + info.getPort();
    LOG.info("Redirecting request for {} to the leading master {}", request.path(), hostname);
    String location = REDIRECT_PATHS.contains(request.path()) ? base : base + request.path() + query(request);
    responder.respond(HttpResponse.status(307).withHeader("Location", location));
  }

  /** The query string, {@code ?k=v&...} re-encoded as Mesos does, or empty. */
  private static String query(HttpRequest request) {
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, List<String>> parameter : request.query().entrySet()) {
      for (String value : parameter.getValue()) {
        query.append(query.length() == 0 ? '?' : '&').append(encode(parameter.getKey())).append('=')
            .append(encode(value));
      }
    }
    return query.toString();
  }

  /** Percent-encodes all but RFC 3986's unreserved characters, as libprocess' {@code http::encode}. */
  private static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
