package io.jmesos.tls;

/** A TLS configuration that cannot be used (missing or unreadable key or certificate, bad value). */
public final class TlsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TlsException(String message) {
    super(message);
  }

  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
