package io.jmesos.security;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.jmesos.internal.Messages.AuthenticationCompletedMessage;
import io.jmesos.internal.Messages.AuthenticationErrorMessage;
import io.jmesos.internal.Messages.AuthenticationFailedMessage;
import io.jmesos.internal.Messages.AuthenticationMechanismsMessage;
import io.jmesos.internal.Messages.AuthenticationStartMessage;
import io.jmesos.internal.Messages.AuthenticationStepMessage;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * The authenticator's side of one SASL CRAM-MD5 authentication (Mesos' {@code CRAMMD5AuthenticatorProcess}
 * session), over the JDK's {@code SaslServer}: {@link #begin()} offers the mechanisms, {@link #start} and {@link
 * #step} take the authenticatee's messages, and each produces the answer to send. The session ends completed
 * (the {@link #principal()} is known), failed (wrong principal or secret: {@code AuthenticationFailedMessage}) or
 * in error ({@code AuthenticationErrorMessage}: a message out of order, an unknown mechanism). The secrets stay
 * in memory: CRAM-MD5 sends only a keyed digest of a fresh challenge.
 *
 * <p>Not thread-safe: one owner (the master's actor) drives it. Every step is a few microseconds of hashing, so
 * it runs on that actor.
 */
public final class SaslServerSession {
  /** The one mechanism jmesos offers, as Mesos' {@code crammd5} authenticator. */
  public static final String MECHANISM = "CRAM-MD5";
  private static final String SERVICE = "mesos";

  /** Where a session is. */
  public enum Status { READY, STARTED, COMPLETED, FAILED, ERROR }

  private final Map<String, String> secrets;
  private final String serverName;
  private final Consumer<Message> send;
  private Status status = Status.READY;
  private SaslServer server;
  private String principal;
  private String error;

  /**
   * @param credentials the principals that may authenticate, with their secrets; empty: every attempt fails
   *     (Mesos: "No credentials provided, authentication requests will be refused")
   * @param serverName the name in the challenge (the master's host name)
   * @param send sends a message to the authenticatee
   */
  public SaslServerSession(Optional<CredentialSet> credentials, String serverName, Consumer<Message> send) {
    this.secrets = credentials.map(CredentialSet::secrets).orElse(Map.of());
    this.serverName = Objects.requireNonNull(serverName, "serverName");
    this.send = Objects.requireNonNull(send, "send");
  }

  /** Offers the mechanisms ({@code AuthenticationMechanismsMessage}). */
  public void begin() {
    send.accept(AuthenticationMechanismsMessage.newBuilder().addMechanisms(MECHANISM).build());
  }

  /** The authenticatee chose a mechanism, with its initial response (none for CRAM-MD5). */
  public void start(AuthenticationStartMessage message) {
    if (status != Status.READY) {
      fail("Unexpected authentication 'start' received");
      return;
    }
    if (!MECHANISM.equals(message.getMechanism())) {
      fail("Mechanism '" + message.getMechanism() + "' is not supported (supported: " + MECHANISM + ")");
      return;
    }
    try {
      server = Sasl.createSaslServer(MECHANISM, SERVICE, serverName, Map.of(), this::handle);
    } catch (SaslException e) {
      fail("Failed to create server SASL connection: " + e.getMessage());
      return;
    }
    status = Status.STARTED;
    evaluate(message.getData());
  }

  /** The authenticatee's next response. */
  public void step(AuthenticationStepMessage message) {
    if (status != Status.STARTED) {
      fail("Unexpected authentication 'step' received");
      return;
    }
    evaluate(message.getData());
  }

  private void evaluate(ByteString data) {
    byte[] challenge;
    try {
      challenge = server.evaluateResponse(data.toByteArray());
    } catch (SaslException e) {
      // The JDK's CRAM-MD5 server refuses an unknown principal or a wrong digest this way (Mesos' SASL_BADAUTH,
      // SASL_NOUSER); its message names the principal, never the secret.
      status = Status.FAILED;
      error = e.getMessage();
      dispose();
      send.accept(AuthenticationFailedMessage.getDefaultInstance());
      return;
    }
    if (server.isComplete()) {
      principal = server.getAuthorizationID();
      status = Status.COMPLETED;
      dispose();
      send.accept(AuthenticationCompletedMessage.getDefaultInstance());
    } else {
      send.accept(AuthenticationStepMessage.newBuilder().setData(ByteString.copyFrom(challenge)).build());
    }
  }

  private void fail(String why) {
    status = Status.ERROR;
    error = why;
    dispose();
    send.accept(AuthenticationErrorMessage.newBuilder().setError(why).build());
  }

  private void dispose() {
    if (server != null) {
      try {
        server.dispose();
      } catch (SaslException e) {
        // Nothing held but memory.
      }
    }
  }

  private void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    String name = null;
    for (Callback callback : callbacks) {
      if (callback instanceof NameCallback) {
        NameCallback nc = (NameCallback) callback;
        name = nc.getName() != null ? nc.getName() : nc.getDefaultName();
      } else if (callback instanceof PasswordCallback) {
        String secret = name == null ? null : secrets.get(name);
        // A principal without a secret cannot authenticate: the JDK refuses an empty one as unknown.
        ((PasswordCallback) callback).setPassword(secret == null ? null : secret.toCharArray());
      } else if (callback instanceof AuthorizeCallback) {
        AuthorizeCallback ac = (AuthorizeCallback) callback;
        // As Mesos: authorization is done out of band; the authenticated name is the principal.
        ac.setAuthorized(ac.getAuthenticationID().equals(ac.getAuthorizationID()));
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  public Status status() {
    return status;
  }

  /** The authenticated principal, once completed. */
  public Optional<String> principal() {
    return Optional.ofNullable(principal);
  }

  /** Why the session failed or errored, for the log (never a secret). */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }
}
