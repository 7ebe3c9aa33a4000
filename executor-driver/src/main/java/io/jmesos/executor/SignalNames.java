package io.jmesos.executor;

/**
 * The names of POSIX signals as Mesos prints them in task messages ({@code strsignal}'s wording, e.g.
 * {@code "Terminated with signal Killed"}). Shared by the command executor and the agent's embedded one.
 */
public final class SignalNames {
  private SignalNames() {}

  /** {@code strsignal(signal)} for the usual signals, else {@code "Unknown signal N"}. */
  public static String of(int signal) {
    switch (signal) {
      case 1: return "Hangup";
      case 2: return "Interrupt";
      case 3: return "Quit";
      case 4: return "Illegal instruction";
      case 6: return "Aborted";
      case 7: return "Bus error";
      case 8: return "Floating point exception";
      case 9: return "Killed";
      case 10: return "User defined signal 1";
      case 11: return "Segmentation fault";
      case 12: return "User defined signal 2";
      case 13: return "Broken pipe";
      case 14: return "Alarm clock";
      case 15: return "Terminated";
      default: return "Unknown signal " + signal;
    }
  }
}
