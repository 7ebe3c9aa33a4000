package io.jmesos.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JSON Web Tokens signed with HMAC-SHA256 (RFC 7519, {@code HS256}), as libprocess' {@code JWT}: what the agent
 * gives each executor ({@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}) and checks on the executor API. {@link
 * #create} signs a set of string claims; {@link #verify} accepts only {@code HS256} (no {@code none}, no other
 * algorithm: the header cannot choose a weaker check), compares signatures in constant time, and refuses an
 * expired token ({@code exp}). Written on the JDK's {@link Mac}: no library needed for one algorithm. Stateless
 * and thread-safe.
 */
public final class Jwt {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** A token that does not verify; the message is libprocess' kind of reason, never the key. */
  public static final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
      super(message);
    }
  }

  private Jwt() {}

  /** A token carrying {@code claims} (string values), signed with {@code key}. */
  public static String create(Map<String, String> claims, byte[] key) {
    ObjectNode payload = MAPPER.createObjectNode();
    new TreeMap<>(claims).forEach(payload::put);
    String signingInput = encode(HEADER.getBytes(StandardCharsets.UTF_8)) + "."
        + encode(payload.toString().getBytes(StandardCharsets.UTF_8));
    return signingInput + "." + encode(hmac(key, signingInput));
  }

  /**
   * The claims of {@code token} if {@code key} signed it: string values as they are, other JSON values as their
   * JSON text (as libprocess' JWT authenticator).
   *
   * @throws InvalidTokenException for a malformed token, another algorithm, a bad signature or an expired token
   */
  public static Map<String, String> verify(String token, byte[] key, long nowSeconds) throws InvalidTokenException {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("Expected 3 base64-encoded tokens separated by dots");
    }
    JsonNode header = json(parts[0], "header");
    if (!"HS256".equals(text(header, "alg"))) {
      throw new InvalidTokenException("Unsupported algorithm: only 'HS256' is accepted");
    }
    if (header.has("typ") && !"JWT".equals(text(header, "typ"))) {
      throw new InvalidTokenException("Token 'typ' is not 'JWT'");
    }
    byte[] signature;
    try {
      signature = DECODER.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("Failed to base64url-decode signature");
    }
    if (!MessageDigest.isEqual(signature, hmac(key, parts[0] + "." + parts[1]))) {
      throw new InvalidTokenException("Token signature does not match");
    }
    JsonNode payload = json(parts[1], "payload");
    JsonNode exp = payload.get("exp");
    if (exp != null) {
      if (!exp.canConvertToLong()) {
        throw new InvalidTokenException("Token 'exp' is not a number");
      }
      if (exp.asLong() < nowSeconds) {
        throw new InvalidTokenException("Token has expired");
      }
    }
    Map<String, String> claims = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = payload.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> field = it.next();
      claims.put(field.getKey(), field.getValue().isTextual() ? field.getValue().asText()
          : field.getValue().toString());
    }
    return claims;
  }

  private static JsonNode json(String part, String what) throws InvalidTokenException {
    JsonNode node;
    try {
      node = MAPPER.readTree(DECODER.decode(part));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new InvalidTokenException("Failed to parse " + what + ": not base64url-encoded JSON");
    }
    if (node == null || !node.isObject()) {
      throw new InvalidTokenException("Token " + what + " is not a JSON object");
    }
    return node;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  private static byte[] hmac(byte[] key, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // An empty key is refused by SecretKeySpec; the daemons refuse an empty key file before this.
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** libprocess' {@code jsonify(Principal)} of claims only: {@code {"claims":{...}}}, for messages. */
  public static String describe(Map<String, String> claims) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode node = root.putObject("claims");
    new TreeMap<>(claims).forEach(node::put);
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
