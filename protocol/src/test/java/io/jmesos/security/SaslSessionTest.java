package io.jmesos.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.jmesos.internal.Messages.AuthenticateMessage;
import io.jmesos.internal.Messages.AuthenticationCompletedMessage;
import io.jmesos.internal.Messages.AuthenticationErrorMessage;
import io.jmesos.internal.Messages.AuthenticationFailedMessage;
import io.jmesos.internal.Messages.AuthenticationMechanismsMessage;
import io.jmesos.internal.Messages.AuthenticationStartMessage;
import io.jmesos.internal.Messages.AuthenticationStepMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.mesos.Protos.Credential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CRAM-MD5 between a {@link SaslClientSession} and a {@link SaslServerSession} wired back to back, as Mesos'
 * {@code authentication_tests.cpp} drives its authenticatee and authenticator: success, a wrong secret, an
 * unknown principal, no credentials, messages out of order; the secret never in what crosses the wire.
 */
@Timeout(10)
class SaslSessionTest {
  private static final Optional<CredentialSet> CREDENTIALS =
      Optional.of(CredentialSet.of(Map.of("agent", "agent-secret", "other", "other-secret")));

  /** Every message either side sent, in order. */
  private final List<Message> wire = new ArrayList<>();

  private final class Pair {
    final SaslServerSession server;
    final SaslClientSession client;

    Pair(Optional<CredentialSet> credentials, Credential credential) {
      server = new SaslServerSession(credentials, "master.example", this::toClient);
      client = new SaslClientSession(credential, "master.example", this::toServer);
    }

    private void toServer(Message m) {
      wire.add(m);
      if (m instanceof AuthenticateMessage) {
        server.begin();
      } else if (m instanceof AuthenticationStartMessage) {
        server.start((AuthenticationStartMessage) m);
      } else if (m instanceof AuthenticationStepMessage) {
        server.step((AuthenticationStepMessage) m);
      }
    }

    private void toClient(Message m) {
      wire.add(m);
      if (m instanceof AuthenticationMechanismsMessage) {
        client.mechanisms((AuthenticationMechanismsMessage) m);
      } else if (m instanceof AuthenticationStepMessage) {
        client.step((AuthenticationStepMessage) m);
      } else if (m instanceof AuthenticationCompletedMessage) {
        client.completed();
      } else if (m instanceof AuthenticationFailedMessage) {
        client.failed();
      } else if (m instanceof AuthenticationErrorMessage) {
        client.error((AuthenticationErrorMessage) m);
      }
    }
  }

  private static Credential credential(String principal, String secret) {
    return Credential.newBuilder().setPrincipal(principal).setSecret(secret).build();
  }

  @Test
  void authenticatedWithTheRightSecretAndTheSecretNeverSent() throws Exception {
    Pair pair = new Pair(CREDENTIALS, credential("agent", "agent-secret"));
    CompletableFuture<Boolean> result = pair.client.authenticate("10.0.0.1:5051");

    assertThat(result.get()).isTrue();
    assertThat(pair.server.status()).isEqualTo(SaslServerSession.Status.COMPLETED);
    assertThat(pair.server.principal()).contains("agent");
    assertThat(wire).extracting(m -> m.getDescriptorForType().getName()).containsExactly("AuthenticateMessage",
        "AuthenticationMechanismsMessage", "AuthenticationStartMessage", "AuthenticationStepMessage",
        "AuthenticationStepMessage", "AuthenticationCompletedMessage");
    AuthenticationStepMessage response = (AuthenticationStepMessage) wire.get(4);
    // RFC 2195: "principal" SP 32 hex digits of HMAC-MD5(secret, challenge).
    assertThat(response.getData().toString(StandardCharsets.US_ASCII)).matches("agent [0-9a-f]{32}");
    for (Message m : wire) {
      assertThat(m.toByteString().toString(StandardCharsets.ISO_8859_1)).doesNotContain("agent-secret");
    }
  }

  @Test
  void wrongSecretFails() throws Exception {
    Pair pair = new Pair(CREDENTIALS, credential("agent", "not-the-secret"));
    assertThat(pair.client.authenticate("a:1").get()).isFalse();
    assertThat(pair.server.status()).isEqualTo(SaslServerSession.Status.FAILED);
    assertThat(pair.server.principal()).isEmpty();
    assertThat(pair.server.error().orElseThrow()).doesNotContain("not-the-secret").doesNotContain("agent-secret");
  }

  @Test
  void unknownPrincipalFails() throws Exception {
    Pair pair = new Pair(CREDENTIALS, credential("mallory", "agent-secret"));
    assertThat(pair.client.authenticate("a:1").get()).isFalse();
    assertThat(pair.server.status()).isEqualTo(SaslServerSession.Status.FAILED);
  }

  @Test
  void withoutCredentialsEveryAttemptFails() throws Exception {
    Pair pair = new Pair(Optional.empty(), credential("agent", "agent-secret"));
    assertThat(pair.client.authenticate("a:1").get()).isFalse();
  }

  @Test
  void anotherPrincipalsSecretFails() throws Exception {
    Pair pair = new Pair(CREDENTIALS, credential("agent", "other-secret"));
    assertThat(pair.client.authenticate("a:1").get()).isFalse();
  }

  @Test
  void unexpectedStepBeforeStartIsAnError() {
    List<Message> sent = new ArrayList<>();
    SaslServerSession server = new SaslServerSession(CREDENTIALS, "m", sent::add);
    server.begin();
    server.step(AuthenticationStepMessage.newBuilder().setData(ByteString.copyFromUtf8("agent 00")).build());
    assertThat(server.status()).isEqualTo(SaslServerSession.Status.ERROR);
    assertThat(sent.get(1)).isEqualTo(AuthenticationErrorMessage.newBuilder()
        .setError("Unexpected authentication 'step' received").build());
  }

  @Test
  void unknownMechanismIsAnError() {
    List<Message> sent = new ArrayList<>();
    SaslServerSession server = new SaslServerSession(CREDENTIALS, "m", sent::add);
    server.start(AuthenticationStartMessage.newBuilder().setMechanism("PLAIN")
        .setData(ByteString.copyFromUtf8("\0agent\0agent-secret")).build());
    assertThat(server.status()).isEqualTo(SaslServerSession.Status.ERROR);
    assertThat(((AuthenticationErrorMessage) sent.get(0)).getError()).contains("'PLAIN' is not supported");
  }

  @Test
  void clientFailsOnAnErrorAndOnCompletedOutOfOrder() {
    SaslClientSession client = new SaslClientSession(credential("a", "b"), "m", m -> { });
    CompletableFuture<Boolean> result = client.authenticate("a:1");
    client.completed();
    assertThat(result).isCompletedExceptionally();
    assertThat(cause(result)).isEqualTo("Unexpected authentication 'completed' received");

    SaslClientSession other = new SaslClientSession(credential("a", "b"), "m", m -> { });
    CompletableFuture<Boolean> second = other.authenticate("a:1");
    other.error(AuthenticationErrorMessage.newBuilder().setError("No authenticator loaded").build());
    assertThat(cause(second)).isEqualTo("Authentication error: No authenticator loaded");
  }

  @Test
  void clientWithoutACommonMechanismFails() {
    SaslClientSession client = new SaslClientSession(credential("a", "b"), "m", m -> { });
    CompletableFuture<Boolean> result = client.authenticate("a:1");
    client.mechanisms(AuthenticationMechanismsMessage.newBuilder().addMechanisms("GSSAPI").build());
    assertThat(cause(result)).startsWith("Failed to start the SASL client");
  }

  private static String cause(CompletableFuture<Boolean> future) {
    try {
      future.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
