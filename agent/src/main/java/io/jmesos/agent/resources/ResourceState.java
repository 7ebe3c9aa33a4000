package io.jmesos.agent.resources;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.Operation;
import org.apache.mesos.Protos.Resource;

/**
 * Mesos' {@code mesos.internal.slave.ResourceState} ({@code src/slave/state.proto}): the agent's checkpointed
 * resources (field 2) and its operations that are pending or have an unacknowledged status (field 1), the body of
 * {@code resources_and_operations.state}. jmesos has no generated class for it (it is internal to Mesos' agent), so
 * this encodes and decodes its two repeated fields by hand, byte for byte as protobuf would.
 *
 * @param operations the operations, oldest first
 * @param resources the checkpointed resources
 */
record ResourceState(List<Operation> operations, List<Resource> resources) {
  private static final int OPERATIONS = 1;
  private static final int RESOURCES = 2;

  ResourceState {
    operations = List.copyOf(operations);
    resources = List.copyOf(resources);
  }

  /** The message's bytes: operations first, then resources, in field order as protobuf serializes them. */
  byte[] toByteArray() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      for (Operation operation : operations) {
        out.writeMessage(OPERATIONS, operation);
      }
      for (Resource resource : resources) {
        out.writeMessage(RESOURCES, resource);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ResourceState parseFrom(byte[] bytes, int offset, int length) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
    ExtensionRegistryLite none = ExtensionRegistryLite.getEmptyRegistry();
    List<Operation> operations = new ArrayList<>();
    List<Resource> resources = new ArrayList<>();
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag >>> 3) {
          case OPERATIONS -> operations.add(in.readMessage(Operation.parser(), none));
          case RESOURCES -> resources.add(in.readMessage(Resource.parser(), none));
          default -> in.skipField(tag);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return new ResourceState(operations, resources);
  }
}
