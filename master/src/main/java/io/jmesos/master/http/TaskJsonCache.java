package io.jmesos.master.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Task;

/**
 * Each task's {@code /state} JSON, kept as UTF-8 bytes from one document to the next: a task is an immutable
 * protobuf, and most tasks of a large cluster (all completed ones, running ones without news) are the same from one
 * request to the next, so the writer copies their bytes instead of generating them again (at 400,000 tasks,
 * generating every task's JSON was most of the time {@code /state} took). Kept only for the tasks of the last two
 * documents written: a task that changed state is a new protobuf, rendered once more, and the old one is dropped
 * two documents later. Costs about the size of the tasks' JSON in heap.
 * Confined to the thread that writes documents.
 */
final class TaskJsonCache {
  /** A codec for the generator, which writes the few nested trees (resources, labels). */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** By the tasks' identity: a task that changed is another protobuf, and hashing whole tasks cost more. */
  private final Map<Task, Raw> cache = new IdentityHashMap<>();
  private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
  private final JsonGenerator generator;
  private long document;
  private long hits;
  private long misses;

  TaskJsonCache() {
    try {
      generator = MAPPER.createGenerator((OutputStream) buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    generator.setRootValueSeparator(null);
  }

  /** Starts a document: drops the tasks that neither of the last two documents had. */
  void beginDocument() {
    long last = document++;
    cache.values().removeIf(raw -> raw.document < last);
  }

  /** {@code task}'s JSON, as {@link TaskArray#write} renders it, from the cache or rendered now. */
  SerializableString json(Task task, Map<List<Resource>, ObjectNode> shapes) throws IOException {
    Raw raw = cache.get(task);
    if (raw == null) {
      misses++;
      TaskArray.write(generator, task, shapes);
      generator.flush();
      raw = new Raw(buffer.toByteArray());
      buffer.reset();
      cache.put(task, raw);
    } else {
      hits++;
    }
    raw.document = document;
    return raw;
  }

  long hits() {
    return hits;
  }

  long misses() {
    return misses;
  }

  /** JSON text as UTF-8 bytes, for {@link JsonGenerator#writeRawValue(SerializableString)}. */
  static final class Raw implements SerializableString {
    private final byte[] utf8;
    /** The last document that wrote it. */
    long document;

    Raw(byte[] utf8) {
      this.utf8 = utf8;
    }

    @Override
    public String getValue() {
      return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
      return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return utf8;
    }

    @Override
    public byte[] asQuotedUTF8() {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      if (offset + utf8.length > buffer.length) {
        return -1;
      }
      System.arraycopy(utf8, 0, buffer, offset, utf8.length);
      return utf8.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      String value = getValue();
      if (offset + value.length() > buffer.length) {
        return -1;
      }
      value.getChars(0, value.length(), buffer, offset);
      return value.length();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      out.write(utf8);
      return utf8.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
      if (buffer.remaining() < utf8.length) {
        return -1;
      }
      buffer.put(utf8);
      return utf8.length;
    }
  }
}
