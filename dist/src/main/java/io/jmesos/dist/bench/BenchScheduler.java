package io.jmesos.dist.bench;

import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;

/** A benchmark's scheduler: offers, status updates and errors matter; the other callbacks are ignored. */
abstract class BenchScheduler implements Scheduler {
  @Override
  public void registered(SchedulerDriver driver, FrameworkID frameworkId, MasterInfo masterInfo) {}

  @Override
  public void reregistered(SchedulerDriver driver, MasterInfo masterInfo) {}

  @Override
  public void offerRescinded(SchedulerDriver driver, OfferID offerId) {}

  @Override
  public void frameworkMessage(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, byte[] data) {}

  @Override
  public void disconnected(SchedulerDriver driver) {}

  @Override
  public void slaveLost(SchedulerDriver driver, SlaveID slaveId) {}

  @Override
  public void executorLost(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, int status) {}
}
