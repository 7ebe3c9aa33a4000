package org.apache.mesos.state;

import com.google.protobuf.ByteString;
import io.jmesos.internal.state.StateProtos.Entry;
import java.util.Objects;

/**
 * A versioned value of a {@link State}, immutable: {@link #mutate} gives a new variable with the same name and
 * version and another value, which {@link State#store} stores if that version is still the current one.
 *
 * <p>As in Mesos the variables of a state come from {@link State#fetch} and {@link State#store}; a variable
 * made by a subclass through the protected constructor holds no entry and cannot be stored.
 */
public class Variable {
  private final Entry entry;

  protected Variable() {
    this.entry = null;
  }

  Variable(Entry entry) {
    this.entry = Objects.requireNonNull(entry, "entry");
  }

  /** A copy of this variable's value (empty for a variable that was never stored). */
  public byte[] value() {
    return entry().getValue().toByteArray();
  }

  /** A variable with this one's name and version and {@code value} (copied). */
  public Variable mutate(byte[] value) {
    Objects.requireNonNull(value, "value");
    return new Variable(entry().toBuilder().setValue(ByteString.copyFrom(value)).build());
  }

  /** The entry behind this variable: its name, uuid (version) and value. */
  Entry entry() {
    if (entry == null) {
      throw new IllegalStateException("Not a variable of a State: " + getClass().getName());
    }
    return entry;
  }
}
