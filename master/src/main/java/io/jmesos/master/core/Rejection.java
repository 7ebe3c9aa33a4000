package io.jmesos.master.core;

/**
 * Why the master refuses an operator request, as the HTTP status and message Mesos answers with (400 Bad
 * Request for invalid input, 409 Conflict for a quota that overcommits the cluster). Immutable.
 */
public record Rejection(int status, String message) {
  public static Rejection badRequest(String message) {
    return new Rejection(400, message);
  }

  public static Rejection conflict(String message) {
    return new Rejection(409, message);
  }
}
