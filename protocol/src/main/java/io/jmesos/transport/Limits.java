package io.jmesos.transport;

import java.time.Duration;

/** Bounds on what a peer may send us. Immutable. */
public final class Limits {
  /** Default: HTTP bodies up to 16 MiB (a LAUNCH of many tasks), internal frames up to 64 MiB. */
  public static final Limits DEFAULT = new Limits(16 << 20, 64 << 20, 8192, Duration.ofSeconds(30));

  private final int maxHttpBodyBytes;
  private final int maxFrameBytes;
  private final int maxHeaderBytes;
  private final Duration identifyTimeout;

  public Limits(int maxHttpBodyBytes, int maxFrameBytes, int maxHeaderBytes, Duration identifyTimeout) {
    this.maxHttpBodyBytes = maxHttpBodyBytes;
    this.maxFrameBytes = maxFrameBytes;
    this.maxHeaderBytes = maxHeaderBytes;
    this.identifyTimeout = identifyTimeout;
  }

  /** How long a new connection may take to show whether it speaks HTTP or the internal protocol. */
  public Duration identifyTimeout() {
    return identifyTimeout;
  }

  public Limits withIdentifyTimeout(Duration timeout) {
    return new Limits(maxHttpBodyBytes, maxFrameBytes, maxHeaderBytes, timeout);
  }

  public int maxHttpBodyBytes() {
    return maxHttpBodyBytes;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  public Limits withMaxHttpBodyBytes(int bytes) {
    return new Limits(bytes, maxFrameBytes, maxHeaderBytes, identifyTimeout);
  }

  public Limits withMaxFrameBytes(int bytes) {
    return new Limits(maxHttpBodyBytes, bytes, maxHeaderBytes, identifyTimeout);
  }
}
