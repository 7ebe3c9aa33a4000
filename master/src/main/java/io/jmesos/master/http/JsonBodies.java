package io.jmesos.master.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Reads request bodies as JSON trees for the master's JSON endpoints. Thread-safe. */
final class JsonBodies {
  private JsonBodies() {}

  /** A body that is not JSON; the message is the parser's own, without Jackson's source excerpt. */
  static final class Malformed extends Exception {
    Malformed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The body's JSON tree as {@code mapper} reads it, or null (or a missing node) for an empty body. */
  static JsonNode read(ObjectMapper mapper, byte[] body) throws Malformed {
    try {
      return mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new Malformed(e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new Malformed(e.getMessage(), e);
    }
  }
}
