package io.jmesos.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The bounds on every JSON document jmesos reads from a peer (request bodies, {@code --resources}, ...), as
 * Jackson {@link StreamReadConstraints}: nesting depth, document size, string, number and name lengths. A
 * document beyond them fails to parse (a 400 where it is a request body). Stateless and thread-safe.
 */
public final class JsonLimits {
  /** Objects and arrays nested deeper are refused: Mesos' deepest messages nest about 15. */
  public static final int MAX_NESTING_DEPTH = 100;
  /** Larger documents are refused (HTTP bodies are bounded lower still, 16 MiB by default). */
  public static final long MAX_DOCUMENT_BYTES = 64L << 20;
  /** Longer strings (e.g. a base64 {@code data} field) are refused. */
  public static final int MAX_STRING_LENGTH = 32 << 20;
  /** Longer numbers (digits) are refused: a 64-bit integer has 20. */
  public static final int MAX_NUMBER_LENGTH = 1000;
  /** Longer field names are refused (a map field's keys are names too). */
  public static final int MAX_NAME_LENGTH = 50_000;

  /** The constraints. */
  public static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
      .maxNestingDepth(MAX_NESTING_DEPTH)
      .maxDocumentLength(MAX_DOCUMENT_BYTES)
      .maxStringLength(MAX_STRING_LENGTH)
      .maxNumberLength(MAX_NUMBER_LENGTH)
      .maxNameLength(MAX_NAME_LENGTH)
      .build();

  private JsonLimits() {}

  /** A new mapper whose reads are bounded by {@link #CONSTRAINTS}. */
  public static ObjectMapper mapper() {
    return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build()).build();
  }
}
