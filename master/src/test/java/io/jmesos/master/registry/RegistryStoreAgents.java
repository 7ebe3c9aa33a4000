package io.jmesos.master.registry;

import io.jmesos.internal.RegistryProtos.Registry;
import org.apache.mesos.Protos.Attribute;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.TimeInfo;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.Protos.WeightInfo;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;

/** Registries with agents as a production cluster has them, for the registry store tests and benchmark. */
final class RegistryStoreAgents {
  private RegistryStoreAgents() {}

  /** A registry with {@code admitted} agents, a tenth as many unreachable and gone, a master, weights, quotas. */
  static Registry registry(int admitted) {
    Registry.Builder registry = Registry.newBuilder()
        .setMaster(Registry.Master.newBuilder().setInfo(MasterInfo.newBuilder()
            .setId("8c7a5e0e-0b8f-4f6e-9d63-1f2f4b3c2a10")
            .setIp(0x0100007f)
            .setPort(5050)
            .setHostname("master-1.dc1.example.com")))
        .addWeights(Registry.Weight.newBuilder().setInfo(WeightInfo.newBuilder().setRole("analytics").setWeight(2)))
        .addQuotaConfigs(QuotaConfig.newBuilder().setRole("analytics")
            .putGuarantees("cpus", org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(100).build())
            .putLimits("cpus", org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(400).build()));
    Registry.Slaves.Builder slaves = registry.getSlavesBuilder();
    for (int i = 0; i < admitted; i++) {
      slaves.addSlaves(Registry.Slave.newBuilder().setInfo(agent(i)));
    }
    for (int i = admitted; i < admitted + admitted / 10; i++) {
      registry.getUnreachableBuilder().addSlaves(Registry.UnreachableSlave.newBuilder()
          .setId(id(i)).setTimestamp(time(i)));
      registry.getGoneBuilder().addSlaves(Registry.GoneSlave.newBuilder()
          .setId(id(i + admitted)).setTimestamp(time(i)));
    }
    return registry.build();
  }

  static SlaveInfo agent(int i) {
    return SlaveInfo.newBuilder()
        .setId(id(i))
        .setHostname("agent-" + i + ".rack-" + i % 500 + ".dc1.example.com")
        .setPort(5051)
        .addResources(scalar("cpus", 32))
        .addResources(scalar("mem", 257_024))
        .addResources(scalar("disk", 1_843_200))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(31_000).setEnd(32_000))))
        .addAttributes(text("rack", "rack-" + i % 500))
        .addAttributes(text("zone", "us-east-1" + (char) ('a' + i % 3)))
        .addAttributes(text("os", "ubuntu-22.04"))
        .build();
  }

  static SlaveID id(int i) {
    return SlaveID.newBuilder().setValue("5e2c41b7-9a0d-4d3e-8f61-7b2a9c0d1e3f-S" + i).build();
  }

  private static TimeInfo time(int i) {
    return TimeInfo.newBuilder().setNanoseconds(1_700_000_000_000_000_000L + i * 1_000_000L).build();
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  private static Attribute text(String name, String value) {
    return Attribute.newBuilder().setName(name).setType(Value.Type.TEXT)
        .setText(Value.Text.newBuilder().setValue(value)).build();
  }
}
