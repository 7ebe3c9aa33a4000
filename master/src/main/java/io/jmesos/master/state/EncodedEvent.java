package io.jmesos.master.state;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.scheduler.Protos.Event;

/**
 * A scheduler event already in its protobuf wire form. The master builds the frequent ones (UPDATE, OFFERS) as
 * Mesos' v0 {@code mesos.scheduler.Event} from its v0 state: the v0 and v1 events have the same wire format, so
 * a protobuf stream writes these bytes as they are, where building the v1 event would serialize and
 * parse every status and offer once more (what {@code Evolve} does). The v1 {@code Event} is parsed only when
 * someone needs it (a JSON stream, a test's {@code SchedulerTap}). Immutable; thread-safe.
 */
public final class EncodedEvent {
  private final byte[] bytes;
  private volatile org.apache.mesos.v1.scheduler.Protos.Event event;

  private EncodedEvent(byte[] bytes) {
    this.bytes = bytes;
  }

  /** UPDATE with a status. */
  public static EncodedEvent update(TaskStatus status) {
    return new EncodedEvent(Event.newBuilder().setType(Event.Type.UPDATE)
        .setUpdate(Event.Update.newBuilder().setStatus(status)).build().toByteArray());
  }

  /** OFFERS of offers. */
  public static EncodedEvent offers(List<Offer> offers) {
    return new EncodedEvent(Event.newBuilder().setType(Event.Type.OFFERS)
        .setOffers(Event.Offers.newBuilder().addAllOffers(offers)).build().toByteArray());
  }

  /** The event's protobuf bytes (not to be changed). */
  public byte[] bytes() {
    return bytes;
  }

  /** The event as a v1 message, parsed once. */
  public org.apache.mesos.v1.scheduler.Protos.Event event() {
    org.apache.mesos.v1.scheduler.Protos.Event parsed = event;
    if (parsed == null) {
      try {
        parsed = org.apache.mesos.v1.scheduler.Protos.Event.parser().parsePartialFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("A v0 scheduler event did not parse as a v1 one", e);
      }
      event = parsed;
    }
    return parsed;
  }
}
