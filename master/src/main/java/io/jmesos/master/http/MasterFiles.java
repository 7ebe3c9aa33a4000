package io.jmesos.master.http;

import io.jmesos.files.AttachedFiles;
import io.jmesos.files.FilesEndpoints;
import io.jmesos.http.HttpHandler;
import io.jmesos.logging.DaemonLog;
import io.jmesos.master.authz.MasterAuthorizer;
import io.jmesos.master.flags.MasterFlags;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The master's {@code /files/browse|read|download|debug}: Mesos' master attaches its log as {@code /master/log}
 * ({@code --external_log_file}, else the file under {@code --log_dir}) and serves it with the agent's file code.
 */
final class MasterFiles {
  /** Reads run here, off the I/O threads; shared by the masters of a process (reads are short). */
  private static final ExecutorService BLOCKING = Executors.newFixedThreadPool(2, r -> {
    Thread thread = new Thread(r, "master-files");
    thread.setDaemon(true);
    return thread;
  });

  private MasterFiles() {}

  /**
   * The master's attached files: its log as {@code /master/log} when it has one, readable by the principals the
   * access_mesos_logs ACLs allow (403 for the others, as Mesos).
   */
  static AttachedFiles attach(MasterFlags flags, MasterAuthorizer authz) {
    AttachedFiles files = new AttachedFiles();
    DaemonLog.attach(files, "/master/log", "mesos-master", flags.logging.logDir(), flags.logging.externalLogFile(),
        authz.enabled() ? authz::accessLog : null);
    return files;
  }

  static Map<String, HttpHandler> routes(AttachedFiles files) {
    return new FilesEndpoints(files, BLOCKING).routes();
  }

  /** Where file reads run (the operator API's LIST_FILES and READ_FILE too). */
  static java.util.concurrent.Executor blocking() {
    return BLOCKING;
  }
}
