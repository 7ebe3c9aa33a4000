package io.jmesos.scheduler;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code Authorization} header a scheduler library sends with each request when it has a credential: HTTP
 * Basic of {@code principal:secret}, as Mesos' default {@code basic} HTTP authenticatee. Stateless.
 */
public final class Authorization {
  private Authorization() {}

  /** The header value for {@code principal} and {@code secret}. */
  public static String basic(String principal, String secret) {
    String pair = principal + ":" + secret;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
