package io.jmesos.zookeeper;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.json.MesosJson;
import java.util.Optional;
import org.apache.mesos.Protos.MasterInfo;

/** The data of a master's znode: {@code MasterInfo} as Mesos JSON, or binary for legacy {@code info_} nodes. */
final class MasterInfos {
  private MasterInfos() {}

  static byte[] encode(MasterInfo info) {
    return MesosJson.printBytes(info);
  }

  /**
   * Decodes a member's data by its label, as Mesos' detector does.
   *
   * @throws IllegalArgumentException with Mesos' words when the data does not fit the label
   */
  static MasterInfo decode(Optional<String> label, byte[] data) {
    if (label.isPresent() && label.get().equals(Znodes.JSON_LABEL)) {
      try {
        return MesosJson.parse(data, MasterInfo.newBuilder()).build();
      } catch (MesosJson.ParseException e) {
        throw new IllegalArgumentException(
            "Failed to parse JSON into a valid MasterInfo protocol buffer: " + e.getMessage(), e);
      }
    }
    if (label.isPresent() && label.get().equals(Znodes.BINARY_LABEL)) {
      try {
        return MasterInfo.parseFrom(data);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("Failed to parse data into MasterInfo", e);
      }
    }
    throw new IllegalArgumentException("Failed to parse data of unknown label '" + label.orElse("") + "'");
  }
}
