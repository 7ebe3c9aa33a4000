package io.jmesos.dist.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.tls.TlsConfig;
import io.jmesos.tls.TlsContext;
import io.jmesos.tls.TlsException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code bin/mesos}: Mesos' operator CLI ({@code src/python/cli_new}) with its {@code agent}, {@code framework},
 * {@code task} and {@code config} plugins, plus {@code task log}. Tables for people, {@code --json} for scripts.
 * A failure is one line on standard error and exit code 1.
 */
@Command(name = "mesos", mixinStandardHelpOptions = true, versionProvider = MesosCli.Version.class,
    description = "Command line tool for jmesos (Apache Mesos-compatible) clusters.",
    subcommands = {AgentCommand.class, FrameworkCommand.class, TaskCommand.class, ConfigCommand.class,
        CommandLine.HelpCommand.class})
public final class MesosCli {
  @Option(names = "--master", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT|zk://HOST:PORT/PATH",
      description = "The master (or ZooKeeper) to talk to; default: $MESOS_MASTER, else the configuration "
          + "file's [master], else " + MasterResolver.DEFAULT_MASTER)
  String master;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of tables")
  boolean json;

  final Map<String, String> env;
  final String home;
  final PrintStream out;
  private Cluster cluster;
  private CliConfig config;

  MesosCli(Map<String, String> env, String home, PrintStream out) {
    this.env = env;
    this.home = home;
    this.out = out;
  }

  /** The configuration file, loaded on first use. */
  CliConfig config() {
    if (config == null) {
      config = CliConfig.load(CliConfig.path(env, home));
    }
    return config;
  }

  Cluster cluster() {
    if (cluster == null) {
      TlsContext tls;
      try {
        tls = TlsContext.create(TlsConfig.fromEnvironment(env));
      } catch (TlsException e) {
        throw new CliException("Unable to set up TLS from the LIBPROCESS_SSL_* environment: " + e.getMessage(), e);
      }
      cluster = new Cluster(() -> MasterResolver.choose(master, env, this::config), new MesosHttp(Cluster.TIMEOUT,
          tls), this::config);
    }
    return cluster;
  }

  /** Prints {@code node} as JSON indented by four spaces, as Mesos' CLI does. */
  void printJson(JsonNode node) {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
        .withObjectIndenter(new DefaultIndenter("    ", "\n"))
        .withArrayIndenter(new DefaultIndenter("    ", "\n"));
    try {
      out.println(MesosHttp.JSON.writer(printer).writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new CliException("Unable to print JSON: " + e.getMessage(), e);
    }
  }

  /** Runs the CLI; returns the process exit code (0, or 1 after one line on {@code err}). */
  public static int run(String[] args, Map<String, String> env, String home, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new MesosCli(env, home, out));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      if (e instanceof CliException) {
        err.println("error: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    cli.setParameterExceptionHandler((e, args2) -> {
      err.println("error: " + e.getMessage() + " (see 'mesos " + String.join(" ", commandPath(e.getCommandLine()))
          + " --help')");
      return 1;
    });
    return cli.execute(args);
  }

  private static List<String> commandPath(CommandLine command) {
    LinkedList<String> path = new LinkedList<>();
    for (CommandLine c = command; c != null && c.getParent() != null; c = c.getParent()) {
      path.addFirst(c.getCommandName());
    }
    return path;
  }

  public static void main(String[] args) {
    // The CLI's output is its tables: libraries (the ZooKeeper client) only speak up for warnings.
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    }
    System.exit(run(args, System.getenv(), System.getProperty("user.home"), System.out, System.err));
  }

  /** The version picocli prints for {@code --version}: the dist jar's, as Maven packaged it. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = MesosCli.class.getPackage().getImplementationVersion();
      return new String[] {"mesos (jmesos) " + (version == null ? "development build" : version)};
    }
  }
}
