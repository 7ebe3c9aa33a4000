package io.jmesos.http;

import java.util.Locale;

/** The media types the Mesos HTTP APIs speak. */
public final class MediaTypes {
  public static final String JSON = "application/json";
  public static final String PROTOBUF = "application/x-protobuf";
  public static final String RECORDIO = "application/recordio";
  public static final String TEXT = "text/plain; charset=utf-8";

  private MediaTypes() {}

  /** "Application/JSON; charset=utf-8" becomes "application/json"; null stays null. */
  public static String strip(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    String base = semi >= 0 ? contentType.substring(0, semi) : contentType;
    return base.trim().toLowerCase(Locale.ROOT);
  }

  /** True if an Accept header admits the given media type (absent or wildcard admits everything). */
  public static boolean accepts(String acceptHeader, String mediaType) {
    if (acceptHeader == null || acceptHeader.isBlank()) {
      return true;
    }
    for (String part : acceptHeader.split(",")) {
      String type = strip(part);
      if (type.equals("*/*") || type.equals(mediaType)
          || (type.endsWith("/*") && mediaType.startsWith(type.substring(0, type.length() - 1)))) {
        return true;
      }
    }
    return false;
  }
}
