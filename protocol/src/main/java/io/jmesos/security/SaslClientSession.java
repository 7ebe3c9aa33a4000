package io.jmesos.security;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.jmesos.internal.Messages.AuthenticateMessage;
import io.jmesos.internal.Messages.AuthenticationErrorMessage;
import io.jmesos.internal.Messages.AuthenticationMechanismsMessage;
import io.jmesos.internal.Messages.AuthenticationStartMessage;
import io.jmesos.internal.Messages.AuthenticationStepMessage;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.apache.mesos.Protos.Credential;

/**
 * The authenticatee's side of one SASL CRAM-MD5 authentication (Mesos' {@code CRAMMD5AuthenticateeProcess}),
 * over the JDK's {@code SaslClient}. {@link #authenticate} sends {@code AuthenticateMessage}; the master's
 * answers go to {@link #mechanisms}, {@link #step}, {@link #completed}, {@link #failed} and {@link #error}. The
 * {@link #result()} is {@code true} when the master completed, {@code false} when it refused the credential, and
 * fails (with Mesos' message) on an error or a message out of order. Only the principal and a digest of the
 * master's challenge keyed with the secret are sent.
 *
 * <p>Not thread-safe: one owner (the agent's actor) drives it; each step is a few microseconds of hashing.
 */
public final class SaslClientSession {
  private enum Status { READY, STARTING, STEPPING, COMPLETED, FAILED, ERROR, DISCARDED }

  private final Credential credential;
  private final String serverName;
  private final Consumer<Message> send;
  private final CompletableFuture<Boolean> result = new CompletableFuture<>();
  private Status status = Status.READY;
  private SaslClient client;

  /**
   * @param serverName the master's host name
   * @param send sends a message to the master
   */
  public SaslClientSession(Credential credential, String serverName, Consumer<Message> send) {
    this.credential = Objects.requireNonNull(credential, "credential");
    this.serverName = Objects.requireNonNull(serverName, "serverName");
    this.send = Objects.requireNonNull(send, "send");
  }

  /** Asks the master to authenticate {@code pid} (who we are); completes {@link #result()} later. */
  public CompletableFuture<Boolean> authenticate(String pid) {
    if (status != Status.READY) {
      throw new IllegalStateException("Authentication already started");
    }
    status = Status.STARTING;
    send.accept(AuthenticateMessage.newBuilder().setPid(pid).build());
    return result;
  }

  public CompletableFuture<Boolean> result() {
    return result;
  }

  /** The master's mechanisms: start CRAM-MD5 if offered. */
  public void mechanisms(AuthenticationMechanismsMessage message) {
    if (status != Status.STARTING) {
      abort("Unexpected authentication 'mechanisms' received");
      return;
    }
    if (!message.getMechanismsList().contains(SaslServerSession.MECHANISM)) {
      abort("Failed to start the SASL client: no mechanism of " + message.getMechanismsList() + " is supported");
      return;
    }
    byte[] initial;
    try {
      client = Sasl.createSaslClient(new String[] {SaslServerSession.MECHANISM}, null, "mesos", serverName,
          Map.of(), this::handle);
      initial = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
    } catch (SaslException e) {
      abort("Failed to start the SASL client: " + e.getMessage());
      return;
    }
    status = Status.STEPPING;
    send.accept(AuthenticationStartMessage.newBuilder().setMechanism(SaslServerSession.MECHANISM)
        .setData(ByteString.copyFrom(initial)).build());
  }

  /** The master's challenge: answer it. */
  public void step(AuthenticationStepMessage message) {
    if (status != Status.STEPPING) {
      abort("Unexpected authentication 'step' received");
      return;
    }
    byte[] response;
    try {
      response = client.evaluateChallenge(message.getData().toByteArray());
    } catch (SaslException e) {
      abort("Failed to perform authentication step: " + e.getMessage());
      return;
    }
    send.accept(AuthenticationStepMessage.newBuilder().setData(ByteString.copyFrom(response)).build());
  }

  /** The master accepted the credential. */
  public void completed() {
    if (status != Status.STEPPING) {
      abort("Unexpected authentication 'completed' received");
      return;
    }
    status = Status.COMPLETED;
    dispose();
    result.complete(true);
  }

  /** The master refused the credential. */
  public void failed() {
    if (isOver()) {
      return;
    }
    status = Status.FAILED;
    dispose();
    result.complete(false);
  }

  /** The master could not authenticate (Mesos' {@code AuthenticationErrorMessage}). */
  public void error(AuthenticationErrorMessage message) {
    if (isOver()) {
      return;
    }
    status = Status.ERROR;
    dispose();
    result.completeExceptionally(new SaslException("Authentication error: " + message.getError()));
  }

  /** Nobody waits any more (a timeout, a new master). */
  public void discard() {
    if (isOver()) {
      return;
    }
    status = Status.DISCARDED;
    dispose();
    result.completeExceptionally(new SaslException("Authentication discarded"));
  }

  private boolean isOver() {
    return result.isDone();
  }

  private void abort(String why) {
    if (isOver()) {
      return;
    }
    status = Status.ERROR;
    dispose();
    result.completeExceptionally(new SaslException(why));
  }

  private void dispose() {
    if (client != null) {
      try {
        client.dispose();
      } catch (SaslException e) {
        // Nothing held but memory.
      }
    }
  }

  private void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    for (Callback callback : callbacks) {
      if (callback instanceof NameCallback) {
        ((NameCallback) callback).setName(credential.getPrincipal());
      } else if (callback instanceof PasswordCallback) {
        ((PasswordCallback) callback).setPassword(credential.getSecret().toCharArray());
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }
}
