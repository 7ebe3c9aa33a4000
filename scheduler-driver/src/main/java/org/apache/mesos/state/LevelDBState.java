package org.apache.mesos.state;

import io.jmesos.state.FileStorage;
import java.nio.file.Paths;

/**
 * A {@link State} in a local directory, with the semantics of Mesos' LevelDB state.
 *
 * <p><b>Not LevelDB.</b> jmesos keeps one file per variable in the directory (written atomically: a synced
 * temporary file renamed over the old one; see {@link FileStorage}). It does not read databases written by
 * Mesos' {@code LevelDBState}, nor do they read its files; a directory holding a LevelDB database is refused
 * (every operation fails saying so) rather than shown empty. One state at a time may use a directory (a lock
 * file), as one LevelDB database may be open at a time.
 */
public class LevelDBState extends AbstractState {
  /**
   * @param path the directory, created if missing
   */
  public LevelDBState(String path) {
    initialize(path);
  }

  protected void initialize(String path) {
    attach(new FileStorage(Paths.get(path)));
  }
}
