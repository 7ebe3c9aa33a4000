package io.jmesos.master.core;

import io.jmesos.actor.Clock;
import io.jmesos.internal.Messages.AuthenticateMessage;
import io.jmesos.internal.Messages.AuthenticationStartMessage;
import io.jmesos.internal.Messages.AuthenticationStepMessage;
import io.jmesos.security.CredentialSet;
import io.jmesos.security.SaslServerSession;
import io.jmesos.transport.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's side of agent authentication (Mesos' {@code Master::authenticate} with its {@code crammd5}
 * authenticator): one SASL CRAM-MD5 session per agent connection, then the principal that connection
 * authenticated as, until it closes or authenticates again. With {@code --authenticate_agents}, {@link
 * AgentManager} refuses the registration of a connection that did not authenticate, and queues one that arrives
 * while its authentication is in progress (as Mesos does). A session that does not finish within {@code
 * --authentication_v0_timeout} is discarded.
 *
 * <p>A connection stands for Mesos' agent pid: the agent authenticates on the connection it then registers on,
 * and a new connection must authenticate anew. Runs on the master's actor (the SASL steps are a few microseconds
 * of hashing).
 */
public final class AgentAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(AgentAuthenticator.class);

  private final MasterContext ctx;
  private final Optional<CredentialSet> credentials;
  private final Map<Long, Pending> authenticating = new HashMap<>();
  private final Map<Long, String> authenticated = new HashMap<>();

  /** A session in progress, with what waits for it. */
  private static final class Pending {
    final SaslServerSession session;
    final String pid;
    final List<Runnable> waiting = new ArrayList<>();
    Clock.Timer timeout;

    Pending(SaslServerSession session, String pid) {
      this.session = session;
      this.pid = pid;
    }
  }

  AgentAuthenticator(MasterContext ctx, Optional<CredentialSet> credentials) {
    this.ctx = ctx;
    this.credentials = credentials;
  }

  /** Whether agents must authenticate before they register ({@code --authenticate_agents}). */
  public boolean required() {
    return ctx.flags.authentication.agents();
  }

  /** The principal {@code connection} authenticated as; empty if it did not (or not yet). */
  public Optional<String> principal(Connection connection) {
    return Optional.ofNullable(authenticated.get(connection.id()));
  }

  /**
   * If {@code connection} is authenticating, runs {@code then} once it is done (whatever the outcome) and answers
   * true; false otherwise.
   */
  boolean whenAuthenticated(Connection connection, Runnable then) {
    Pending pending = authenticating.get(connection.id());
    if (pending == null) {
      return false;
    }
    pending.waiting.add(then);
    return true;
  }

  /** Mesos' {@code Master::authenticate}: a (new) authentication on this connection; an earlier one is dropped. */
  void authenticate(Connection connection, AuthenticateMessage message) {
    String pid = message.getPid();
    boolean erased = authenticated.remove(connection.id()) != null;
    Pending earlier = authenticating.remove(connection.id());
    if (earlier != null) {
      discard(earlier);
      LOG.info("Re-authenticating agent {} at {}; discarding outstanding authentication", pid,
          connection.remoteAddress());
    } else {
      LOG.info("Authenticating agent {} at {}{}", pid, connection.remoteAddress(),
          erased ? "; clearing previous authentication" : "");
    }
    String serverName = ctx.state.info.getHostname().isEmpty() ? "mesos" : ctx.state.info.getHostname();
    Pending pending = new Pending(new SaslServerSession(credentials, serverName, connection::send), pid);
    authenticating.put(connection.id(), pending);
    pending.timeout = ctx.actor.delay(ctx.flags.authentication.v0Timeout(), () -> {
      if (authenticating.get(connection.id()) == pending) {
        LOG.warn("Authentication of agent {} at {} timed out", pid, connection.remoteAddress());
        authenticating.remove(connection.id());
        discard(pending);
      }
    });
    pending.session.begin();
  }

  void start(Connection connection, AuthenticationStartMessage message) {
    Pending pending = authenticating.get(connection.id());
    if (pending == null) {
      LOG.warn("Ignoring authentication start from {}: no authentication in progress", connection.remoteAddress());
      return;
    }
    pending.session.start(message);
    settle(connection, pending);
  }

  void step(Connection connection, AuthenticationStepMessage message) {
    Pending pending = authenticating.get(connection.id());
    if (pending == null) {
      LOG.warn("Ignoring authentication step from {}: no authentication in progress", connection.remoteAddress());
      return;
    }
    pending.session.step(message);
    settle(connection, pending);
  }

  /** Mesos' {@code _authenticate}: records the outcome of a session that ended, then runs what waited for it. */
  private void settle(Connection connection, Pending pending) {
    SaslServerSession.Status status = pending.session.status();
    switch (status) {
      case COMPLETED -> {
        String principal = pending.session.principal().orElseThrow();
        LOG.info("Successfully authenticated principal '{}' at {} ({})", principal, pending.pid,
            connection.remoteAddress());
        authenticated.put(connection.id(), principal);
      }
      case FAILED -> LOG.info("Authentication of {} ({}) was unsuccessful: Invalid credentials ({})", pending.pid,
          connection.remoteAddress(), pending.session.error().orElse(""));
      case ERROR -> LOG.warn("An error occurred while attempting to authenticate {} ({}): {}", pending.pid,
          connection.remoteAddress(), pending.session.error().orElse(""));
      default -> {
        return;
      }
    }
    authenticating.remove(connection.id());
    finish(pending);
  }

  private void discard(Pending pending) {
    finish(pending);
  }

  private void finish(Pending pending) {
    if (pending.timeout != null) {
      pending.timeout.cancel();
    }
    List<Runnable> waiting = List.copyOf(pending.waiting);
    pending.waiting.clear();
    waiting.forEach(Runnable::run);
  }

  /** The connection closed: forget its authentication (a new connection authenticates anew). */
  void disconnected(Connection connection) {
    authenticated.remove(connection.id());
    Pending pending = authenticating.remove(connection.id());
    if (pending != null) {
      if (pending.timeout != null) {
        pending.timeout.cancel();
      }
      pending.waiting.clear();
    }
  }
}
