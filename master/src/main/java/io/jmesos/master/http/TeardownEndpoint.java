package io.jmesos.master.http;

import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.state.Framework;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.mesos.Protos.FrameworkID;

/**
 * {@code POST /teardown} (and {@code /master/teardown}), as Mesos 1.11: the body is a form,
 * {@code frameworkId=<id>}; the framework is removed as the operator API's TEARDOWN removes it. 405 for other
 * methods, 400 for a body that does not decode, without {@code frameworkId}, or naming no registered framework,
 * 403 when the principal may not tear down the framework (teardown_frameworks ACLs, by the framework's principal).
 */
final class TeardownEndpoint implements HttpHandler {
  private final MasterContext ctx;

  TeardownEndpoint(MasterContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handle(HttpRequest request, HttpResponder responder) {
    if (!request.method().equals("POST")) {
      responder.respond(HttpResponse.text(405, "Expecting one of { 'POST' }, but received '" + request.method()
          + "'").withHeader("Allow", "POST"));
      return;
    }
    Map<String, String> form;
    try {
      form = decode(request.bodyText());
    } catch (IllegalArgumentException e) {
      responder.respond(HttpResponse.text(400, "Unable to decode query string: " + e.getMessage()));
      return;
    }
    String id = form.get("frameworkId");
    if (id == null) {
      responder.respond(HttpResponse.text(400, "Missing 'frameworkId' query parameter in the request body"));
      return;
    }
    OnActor.respond(ctx.actor, responder, "/teardown", () -> {
      Framework framework = ctx.state.frameworks.get(FrameworkID.newBuilder().setValue(id).build());
      if (framework == null) {
        return HttpResponse.text(400, "No framework found with specified ID");
      }
      if (!ctx.authz.teardown(java.util.Optional.ofNullable(request.principal()), framework.info())) {
        return HttpResponse.status(403);
      }
      ctx.frameworks.teardown(framework);
      return HttpResponse.ok();
    });
  }

  /** An {@code application/x-www-form-urlencoded} body; the last value of a repeated key wins, as in Mesos. */
  static Map<String, String> decode(String body) {
    Map<String, String> values = new HashMap<>();
    if (body.isEmpty()) {
      return values;
    }
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      values.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return values;
  }
}
