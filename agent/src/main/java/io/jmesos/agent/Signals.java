package io.jmesos.agent;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGUSR1 for {@code mesos-agent}, as Mesos: the agent unregisters from the master and kills its executors. The
 * JDK's only handle on POSIX signals is {@code sun.misc.Signal} (module jdk.unsupported), reached through
 * reflection so that the build does not depend on an internal API at compile time; where it is missing the
 * signal keeps its default action and a line says so.
 */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** Runs {@code action} on a new thread whenever the process receives SIGUSR1. */
  static void onUsr1(Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance("USR1");
      InvocationHandler invocation = (proxy, method, args) -> {
        if (method.getName().equals("handle")) {
          Thread thread = new Thread(action, "agent-sigusr1");
          thread.start();
          return null;
        }
        return method.getDeclaringClass() == Object.class ? method.invoke(action, args) : null;
      };
      Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
          invocation);
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.warn("Cannot handle SIGUSR1 ({}); it keeps its default action", e.toString());
    }
  }
}
