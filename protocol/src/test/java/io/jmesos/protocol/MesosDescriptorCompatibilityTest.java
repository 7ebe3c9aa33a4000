package io.jmesos.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves our protobufs are Mesos': the official {@code org.apache.mesos:mesos} jar and the protobuf
 * runtime it was built with are loaded in a class loader isolated from ours (its parent is the
 * platform loader), and the descriptors of its generated classes are compared with ours, field by
 * field. The jars are copied to {@code target/mesos-reference} by the build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MesosDescriptorCompatibilityTest {

  /** Outer class name to our descriptor of the same file. */
  private static final Map<String, FileDescriptor> FILES = new LinkedHashMap<>();

  static {
    FILES.put("org.apache.mesos.Protos", Protos.getDescriptor());
    FILES.put("org.apache.mesos.scheduler.Protos",
        org.apache.mesos.scheduler.Protos.getDescriptor());
    FILES.put("org.apache.mesos.executor.Protos", org.apache.mesos.executor.Protos.getDescriptor());
    FILES.put("org.apache.mesos.v1.Protos", org.apache.mesos.v1.Protos.getDescriptor());
    FILES.put("org.apache.mesos.v1.master.Protos", org.apache.mesos.v1.master.Protos.getDescriptor());
    FILES.put("org.apache.mesos.v1.agent.Protos", org.apache.mesos.v1.agent.Protos.getDescriptor());
    FILES.put("org.apache.mesos.v1.allocator.Protos", org.apache.mesos.v1.allocator.Protos.getDescriptor());
    FILES.put("org.apache.mesos.v1.maintenance.Protos", org.apache.mesos.v1.maintenance.Protos.getDescriptor());
    FILES.put("org.apache.mesos.v1.quota.Protos", org.apache.mesos.v1.quota.Protos.getDescriptor());
    FILES.put("org.apache.mesos.v1.resource_provider.Protos",
        org.apache.mesos.v1.resource_provider.Protos.getDescriptor());
    FILES.put("org.apache.mesos.v1.scheduler.Protos",
        org.apache.mesos.v1.scheduler.Protos.getDescriptor());
    FILES.put("org.apache.mesos.v1.executor.Protos",
        org.apache.mesos.v1.executor.Protos.getDescriptor());
  }

  private static URLClassLoader reference;

  @BeforeAll
  static void loadReference() throws Exception {
    Path dir = Paths.get(System.getProperty("basedir", ".")).resolve("target/mesos-reference");
    Path mesos = dir.resolve("mesos-reference.jar");
    Path protobuf = dir.resolve("protobuf-reference.jar");
    assertThat(mesos).as("copied by the build in generate-test-resources").exists();
    assertThat(protobuf).as("copied by the build in generate-test-resources").exists();
    reference = new URLClassLoader(new URL[] {mesos.toUri().toURL(), protobuf.toUri().toURL()},
        ClassLoader.getPlatformClassLoader());
  }

  @AfterAll
  static void closeReference() throws Exception {
    if (reference != null) {
      reference.close();
    }
  }

  private static FileDescriptorProto referenceDescriptor(String outerClass) throws Exception {
    Class<?> protos = Class.forName(outerClass, true, reference);
    Object descriptor = protos.getMethod("getDescriptor").invoke(null);
    Object proto = descriptor.getClass().getMethod("toProto").invoke(descriptor);
    byte[] bytes = (byte[]) proto.getClass().getMethod("toByteArray").invoke(proto);
    return FileDescriptorProto.parseFrom(bytes);
  }

  @Test
  void referenceIsIsolatedFromOurClasses() throws Exception {
    Class<?> theirs = Class.forName("org.apache.mesos.Protos", false, reference);

    assertThat(theirs).isNotSameAs(Protos.class);
    assertThat(theirs.getClassLoader()).isSameAs(reference);
    assertThat(Class.forName("com.google.protobuf.Message", false, reference))
        .isNotSameAs(com.google.protobuf.Message.class);
    assertThatThrownBy(() -> reference.loadClass(Evolve.class.getName()))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void ourDescriptorsMatchMesos() throws Exception {
    List<String> mismatches = new ArrayList<>();
    int messages = 0;
    for (Map.Entry<String, FileDescriptor> file : FILES.entrySet()) {
      FileDescriptorProto ours = file.getValue().toProto();
      mismatches.addAll(DescriptorComparison.compare(ours, referenceDescriptor(file.getKey())));
      messages += ours.getMessageTypeCount();
    }

    assertThat(messages).as("top-level messages compared").isGreaterThan(100);
    assertThat(mismatches)
        .withFailMessage("%d differences from Mesos 1.11:%n  %s", mismatches.size(),
            String.join(System.lineSeparator() + "  ", mismatches))
        .isEmpty();
  }

  @Test
  void comparisonReportsARenumberedField() throws Exception {
    FileDescriptorProto.Builder altered = Protos.getDescriptor().toProto().toBuilder();
    DescriptorProto.Builder taskInfo = altered.getMessageTypeBuilderList().stream()
        .filter(m -> m.getName().equals("TaskInfo")).findFirst().orElseThrow();
    FieldDescriptorProto.Builder name = taskInfo.getFieldBuilderList().stream()
        .filter(f -> f.getName().equals("name")).findFirst().orElseThrow();
    name.setNumber(99);
    altered.getEnumTypeBuilderList().stream().filter(e -> e.getName().equals("TaskState"))
        .findFirst().orElseThrow().removeValue(0);

    List<String> mismatches = DescriptorComparison.compare(
        altered.build(), referenceDescriptor("org.apache.mesos.Protos"));

    assertThat(mismatches).containsExactlyInAnyOrder(
        ".mesos.TaskInfo.name: number is 99 but the reference has 1",
        ".mesos.TaskState.TASK_STAGING (6) is missing here");
  }

  @Test
  void referenceParsesOurBytesAndWritesTheSame() throws Exception {
    Protos.TaskStatus status = Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue("task-1"))
        .setState(Protos.TaskState.TASK_FAILED)
        .setMessage("exited with 1")
        .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
        .setReason(Protos.TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY)
        .setSlaveId(Protos.SlaveID.newBuilder().setValue("agent-1"))
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("executor-1"))
        .setTimestamp(1_600_000_000.25)
        .setUuid(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xfe}))
        .setHealthy(false)
        .setLabels(Protos.Labels.newBuilder()
            .addLabels(Protos.Label.newBuilder().setKey("k").setValue("v")))
        .build();
    byte[] ours = status.toByteArray();

    Class<?> theirType = Class.forName("org.apache.mesos.Protos$TaskStatus", true, reference);
    Object theirs = theirType.getMethod("parseFrom", byte[].class).invoke(null, (Object) ours);
    Method toByteArray = theirType.getMethod("toByteArray");

    assertThat((byte[]) toByteArray.invoke(theirs)).isEqualTo(ours);
    assertThat(theirs.toString()).isEqualTo(status.toString());
    Object state = theirType.getMethod("getState").invoke(theirs);
    assertThat(state.toString()).isEqualTo("TASK_FAILED");
    assertThat(Protos.TaskStatus.parseFrom((byte[]) toByteArray.invoke(theirs))).isEqualTo(status);
  }
}
