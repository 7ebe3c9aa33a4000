package io.jmesos.agent.containers.isolators;

import io.jmesos.agent.containers.cgroups.Cgroups;
import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import java.io.IOException;
import java.util.List;
import org.apache.mesos.Protos.ResourceStatistics;

/**
 * {@code cgroups/pids}: puts the container in a pids cgroup (no limit: Mesos offers no pids resource) and
 * reports how many processes it has.
 */
public final class CgroupsPidsIsolator implements Isolator {
  @Override
  public String name() {
    return "cgroups/pids";
  }

  @Override
  public List<String> controllers() {
    return List.of("pids");
  }

  @Override
  public void usage(ContainerCgroups cgroups, long pid, ResourceStatistics.Builder statistics) throws IOException {
    statistics.setProcesses(Cgroups.pids(cgroups.dir("pids")).size());
    statistics.setThreads((int) Cgroups.readLong(cgroups.dir("pids"), "pids.current"));
  }
}
