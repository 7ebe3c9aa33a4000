package io.jmesos.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.CheckInfo;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.HealthCheck;
import org.apache.mesos.Protos.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mesos' {@code HealthCheckTest.HealthCheckProtobufValidation} and {@code CheckTest.CheckInfoValidation}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CheckValidationTest {
  private static final CommandInfo TRUE = CommandInfo.newBuilder().setValue("true").build();

  private static String healthError(HealthCheck.Builder check) {
    return CheckValidation.validateHealthCheck(check.build()).orElse(null);
  }

  private static String checkError(CheckInfo.Builder check) {
    return CheckValidation.validateCheckInfo(check.build()).orElse(null);
  }

  @Test
  void healthCheckProtobufValidation() {
    assertThat(healthError(HealthCheck.newBuilder())).isEqualTo("HealthCheck must specify 'type'");
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.UNKNOWN)))
        .isEqualTo("'UNKNOWN' is not a valid health check type");
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)))
        .isEqualTo("Expecting 'command' to be set for COMMAND health check");
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
        .setCommand(CommandInfo.getDefaultInstance())))
        .isEqualTo("Command health check must contain 'shell command'");
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
        .setCommand(CommandInfo.newBuilder().setShell(false))))
        .isEqualTo("Command health check must contain 'executable path'");
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
        .setCommand(TRUE.toBuilder().setEnvironment(Environment.newBuilder().addVariables(
            Environment.Variable.newBuilder().setName("X"))))))
        .isEqualTo("Health check's `CommandInfo` is invalid: Environment variable 'X' of type 'VALUE' must have a"
            + " value set");
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.HTTP)))
        .isEqualTo("Expecting 'http' to be set for HTTP health check");
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.HTTP)
        .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(80).setScheme("ftp"))))
        .isEqualTo("Unsupported HTTP health check scheme: 'ftp'");
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.HTTP)
        .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(80).setPath("health"))))
        .isEqualTo("The path 'health' of HTTP health check must start with '/'");
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.TCP)))
        .isEqualTo("Expecting 'tcp' to be set for TCP health check");

    HealthCheck.Builder valid = HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND).setCommand(TRUE);
    assertThat(healthError(valid)).isNull();
    assertThat(healthError(valid.clone().setDelaySeconds(-1)))
        .isEqualTo("Expecting 'delay_seconds' to be non-negative");
    assertThat(healthError(valid.clone().setGracePeriodSeconds(-1)))
        .isEqualTo("Expecting 'grace_period_seconds' to be non-negative");
    assertThat(healthError(valid.clone().setIntervalSeconds(-1)))
        .isEqualTo("Expecting 'interval_seconds' to be non-negative");
    assertThat(healthError(valid.clone().setTimeoutSeconds(-1)))
        .isEqualTo("Expecting 'timeout_seconds' to be non-negative");
    assertThat(healthError(valid.clone().setDelaySeconds(0).setIntervalSeconds(0).setTimeoutSeconds(0)
        .setGracePeriodSeconds(0))).isNull();
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.HTTP)
        .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(80).setScheme("https").setPath("/")))).isNull();
    assertThat(healthError(HealthCheck.newBuilder().setType(HealthCheck.Type.TCP)
        .setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(80)))).isNull();
  }

  @Test
  void checkInfoValidation() {
    assertThat(checkError(CheckInfo.newBuilder())).isEqualTo("CheckInfo must specify 'type'");
    assertThat(checkError(CheckInfo.newBuilder().setType(CheckInfo.Type.UNKNOWN)))
        .isEqualTo("'UNKNOWN' is not a valid check type");
    assertThat(checkError(CheckInfo.newBuilder().setType(CheckInfo.Type.COMMAND)))
        .isEqualTo("Expecting 'command' to be set for COMMAND check");
    assertThat(checkError(CheckInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckInfo.Command.newBuilder().setCommand(CommandInfo.getDefaultInstance()))))
        .isEqualTo("Command check must contain 'shell command'");
    assertThat(checkError(CheckInfo.newBuilder().setType(CheckInfo.Type.HTTP)))
        .isEqualTo("Expecting 'http' to be set for HTTP check");
    assertThat(checkError(CheckInfo.newBuilder().setType(CheckInfo.Type.HTTP)
        .setHttp(CheckInfo.Http.newBuilder().setPort(80).setPath("x"))))
        .isEqualTo("The path 'x' of HTTP check must start with '/'");
    assertThat(checkError(CheckInfo.newBuilder().setType(CheckInfo.Type.TCP)))
        .isEqualTo("Expecting 'tcp' to be set for TCP check");
    CheckInfo.Builder valid = CheckInfo.newBuilder().setType(CheckInfo.Type.TCP)
        .setTcp(CheckInfo.Tcp.newBuilder().setPort(80));
    assertThat(checkError(valid)).isNull();
    assertThat(checkError(valid.clone().setDelaySeconds(-1))).isEqualTo("Expecting 'delay_seconds' to be non-negative");
    assertThat(checkError(valid.clone().setIntervalSeconds(-1)))
        .isEqualTo("Expecting 'interval_seconds' to be non-negative");
    assertThat(checkError(valid.clone().setTimeoutSeconds(-1)))
        .isEqualTo("Expecting 'timeout_seconds' to be non-negative");
  }

  @Test
  void environmentVariablesAndSecrets() {
    Environment.Variable.Builder secret = Environment.Variable.newBuilder().setName("S")
        .setType(Environment.Variable.Type.SECRET);
    assertThat(CheckValidation.validateEnvironment(env(secret.clone())))
        .hasValue("Environment variable 'S' of type 'SECRET' must have a secret set");
    Secret value = Secret.newBuilder().setType(Secret.Type.VALUE)
        .setValue(Secret.Value.newBuilder().setData(ByteString.copyFromUtf8("pw"))).build();
    assertThat(CheckValidation.validateEnvironment(env(secret.clone().setSecret(value).setValue("v"))))
        .hasValue("Environment variable 'S' of type 'SECRET' must not have a value set");
    assertThat(CheckValidation.validateEnvironment(env(secret.clone().setSecret(
        Secret.newBuilder().setType(Secret.Type.VALUE)))))
        .hasValue("Environment variable 'S' specifies an invalid secret: Secret of type VALUE must have the 'value'"
            + " field set");
    assertThat(CheckValidation.validateEnvironment(env(secret.clone().setSecret(value.toBuilder().setValue(
        Secret.Value.newBuilder().setData(ByteString.copyFrom(new byte[] {'a', 0})))))))
        .hasValue("Environment variable 'S' specifies a secret containing null bytes, which is not allowed in the"
            + " environment");
    assertThat(CheckValidation.validateEnvironment(env(secret.clone().setSecret(value)))).isEmpty();
    assertThat(CheckValidation.validateEnvironment(env(Environment.Variable.newBuilder().setName("V")
        .setValue("v").setSecret(value))))
        .hasValue("Environment variable 'V' of type 'VALUE' must not have a secret set");
    assertThat(CheckValidation.validateEnvironment(env(Environment.Variable.newBuilder().setName("U")
        .setType(Environment.Variable.Type.UNKNOWN))))
        .hasValue("Environment variable of type 'UNKNOWN' is not allowed");
  }

  private static Environment env(Environment.Variable.Builder variable) {
    return Environment.newBuilder().addVariables(variable).build();
  }
}
