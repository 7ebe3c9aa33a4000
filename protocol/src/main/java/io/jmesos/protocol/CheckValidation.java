package io.jmesos.protocol;

import java.util.Optional;
import org.apache.mesos.Protos.CheckInfo;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.HealthCheck;
import org.apache.mesos.Protos.Secret;

/**
 * Validation of a task's {@code HealthCheck} and {@code CheckInfo}, as Mesos' {@code common::validation}
 * ({@code validateHealthCheck}, {@code validateCheckInfo}, {@code validateEnvironment}) words it. The master
 * refuses a task whose check is invalid; the command executors validate again before they start checking.
 * Stateless and thread-safe.
 */
public final class CheckValidation {
  private CheckValidation() {}

  /** The error of an invalid health check, if any. */
  public static Optional<String> validateHealthCheck(HealthCheck check) {
    if (!check.hasType()) {
      return Optional.of("HealthCheck must specify 'type'");
    }
    switch (check.getType()) {
      case COMMAND: {
        if (!check.hasCommand()) {
          return Optional.of("Expecting 'command' to be set for COMMAND health check");
        }
        Optional<String> error = validateCommand(check.getCommand(), "Command health check",
            "Health check's `CommandInfo` is invalid: ");
        if (error.isPresent()) {
          return error;
        }
        break;
      }
      case HTTP: {
        if (!check.hasHttp()) {
          return Optional.of("Expecting 'http' to be set for HTTP health check");
        }
        HealthCheck.HTTPCheckInfo http = check.getHttp();
        if (http.hasScheme() && !http.getScheme().equals("http") && !http.getScheme().equals("https")) {
          return Optional.of("Unsupported HTTP health check scheme: '" + http.getScheme() + "'");
        }
        if (http.hasPath() && !http.getPath().startsWith("/")) {
          return Optional.of("The path '" + http.getPath() + "' of HTTP health check must start with '/'");
        }
        break;
      }
      case TCP:
        if (!check.hasTcp()) {
          return Optional.of("Expecting 'tcp' to be set for TCP health check");
        }
        break;
      default:
        return Optional.of("'" + check.getType().name() + "' is not a valid health check type");
    }
    if (check.hasDelaySeconds() && check.getDelaySeconds() < 0.0) {
      return Optional.of("Expecting 'delay_seconds' to be non-negative");
    }
    if (check.hasGracePeriodSeconds() && check.getGracePeriodSeconds() < 0.0) {
      return Optional.of("Expecting 'grace_period_seconds' to be non-negative");
    }
    if (check.hasIntervalSeconds() && check.getIntervalSeconds() < 0.0) {
      return Optional.of("Expecting 'interval_seconds' to be non-negative");
    }
    if (check.hasTimeoutSeconds() && check.getTimeoutSeconds() < 0.0) {
      return Optional.of("Expecting 'timeout_seconds' to be non-negative");
    }
    return Optional.empty();
  }

  /** The error of an invalid (general) check, if any. */
  public static Optional<String> validateCheckInfo(CheckInfo check) {
    if (!check.hasType()) {
      return Optional.of("CheckInfo must specify 'type'");
    }
    switch (check.getType()) {
      case COMMAND: {
        if (!check.hasCommand()) {
          return Optional.of("Expecting 'command' to be set for COMMAND check");
        }
        Optional<String> error = validateCommand(check.getCommand().getCommand(), "Command check",
            "Check's `CommandInfo` is invalid: ");
        if (error.isPresent()) {
          return error;
        }
        break;
      }
      case HTTP:
        if (!check.hasHttp()) {
          return Optional.of("Expecting 'http' to be set for HTTP check");
        }
        if (check.getHttp().hasPath() && !check.getHttp().getPath().startsWith("/")) {
          return Optional.of("The path '" + check.getHttp().getPath() + "' of HTTP check must start with '/'");
        }
        break;
      case TCP:
        if (!check.hasTcp()) {
          return Optional.of("Expecting 'tcp' to be set for TCP check");
        }
        break;
      default:
        return Optional.of("'" + check.getType().name() + "' is not a valid check type");
    }
    if (check.hasDelaySeconds() && check.getDelaySeconds() < 0.0) {
      return Optional.of("Expecting 'delay_seconds' to be non-negative");
    }
    if (check.hasIntervalSeconds() && check.getIntervalSeconds() < 0.0) {
      return Optional.of("Expecting 'interval_seconds' to be non-negative");
    }
    if (check.hasTimeoutSeconds() && check.getTimeoutSeconds() < 0.0) {
      return Optional.of("Expecting 'timeout_seconds' to be non-negative");
    }
    return Optional.empty();
  }

  /**
   * The variables of an environment: a VALUE variable has a value and no secret, a SECRET one a secret (without
   * NUL bytes) and no value; UNKNOWN is refused.
   */
  public static Optional<String> validateEnvironment(Environment environment) {
    for (Environment.Variable v : environment.getVariablesList()) {
      String name = "Environment variable '" + v.getName() + "'";
      switch (v.getType()) {
        case SECRET:
          if (!v.hasSecret()) {
            return Optional.of(name + " of type 'SECRET' must have a secret set");
          }
          if (v.hasValue()) {
            return Optional.of(name + " of type 'SECRET' must not have a value set");
          }
          Optional<String> secret = validateSecret(v.getSecret());
          if (secret.isPresent()) {
            return Optional.of(name + " specifies an invalid secret: " + secret.get());
          }
          if (v.getSecret().getValue().getData().toStringUtf8().indexOf('\0') >= 0) {
            return Optional.of(name + " specifies a secret containing null bytes, which is not allowed in the"
                + " environment");
          }
          break;
        case VALUE:
          if (!v.hasValue()) {
            return Optional.of(name + " of type 'VALUE' must have a value set");
          }
          if (v.hasSecret()) {
            return Optional.of(name + " of type 'VALUE' must not have a secret set");
          }
          break;
        default:
          return Optional.of("Environment variable of type 'UNKNOWN' is not allowed");
      }
    }
    return Optional.empty();
  }

  /** A secret: a REFERENCE has a reference and no value, a VALUE a value and no reference. */
  public static Optional<String> validateSecret(Secret secret) {
    switch (secret.getType()) {
      case REFERENCE:
        if (!secret.hasReference()) {
          return Optional.of("Secret of type REFERENCE must have the 'reference' field set");
        }
        if (secret.hasValue()) {
          return Optional.of("Secret '" + secret.getReference().getName()
              + "' of type REFERENCE must not have the 'value' field set");
        }
        return Optional.empty();
      case VALUE:
        if (!secret.hasValue()) {
          return Optional.of("Secret of type VALUE must have the 'value' field set");
        }
        if (secret.hasReference()) {
          return Optional.of("Secret of type VALUE must not have the 'reference' field set");
        }
        return Optional.empty();
      default:
        return Optional.empty();
    }
  }

  private static Optional<String> validateCommand(CommandInfo command, String what, String invalidPrefix) {
    if (!command.hasValue()) {
      return Optional.of(what + " must contain " + (command.getShell() ? "'shell command'" : "'executable path'"));
    }
    return validateEnvironment(command.getEnvironment()).map(e -> invalidPrefix + e);
  }
}
