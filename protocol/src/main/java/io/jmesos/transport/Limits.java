package io.jmesos.transport;

/** Bounds on what a peer may send us. Immutable. */
public final class Limits {
  /** Default: HTTP bodies up to 16 MiB (a LAUNCH of many tasks), internal frames up to 64 MiB. */
  public static final Limits DEFAULT = new Limits(16 << 20, 64 << 20, 8192);

  private final int maxHttpBodyBytes;
  private final int maxFrameBytes;
  private final int maxHeaderBytes;

  public Limits(int maxHttpBodyBytes, int maxFrameBytes, int maxHeaderBytes) {
    this.maxHttpBodyBytes = maxHttpBodyBytes;
    this.maxFrameBytes = maxFrameBytes;
    this.maxHeaderBytes = maxHeaderBytes;
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
    return new Limits(bytes, maxFrameBytes, maxHeaderBytes);
  }

  public Limits withMaxFrameBytes(int bytes) {
    return new Limits(maxHttpBodyBytes, bytes, maxHeaderBytes);
  }
}
