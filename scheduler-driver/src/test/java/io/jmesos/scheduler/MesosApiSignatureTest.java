package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our {@code org.apache.mesos} scheduler API and {@code org.apache.mesos.state} classes have every public and
 * protected constructor and method of the official Mesos 1.11.0 jar, with the same parameter and return types and
 * deprecations. The official jar
 * is loaded in an isolated class loader from {@code target/mesos-reference}, where the build copies it.
 */
class MesosApiSignatureTest {
  private static URLClassLoader reference;

  @BeforeAll
  static void loadReference() throws Exception {
    Path dir = Paths.get(System.getProperty("basedir", ".")).resolve("target/mesos-reference");
    Path mesos = dir.resolve("mesos-reference.jar");
    Path protobuf = dir.resolve("protobuf-reference.jar");
    assertThat(mesos).exists();
    assertThat(Files.exists(protobuf)).isTrue();
    reference = new URLClassLoader(new URL[] {mesos.toUri().toURL(), protobuf.toUri().toURL()},
        ClassLoader.getPlatformClassLoader());
  }

  @AfterAll
  static void close() throws Exception {
    reference.close();
  }

  @Test
  void schedulerMatchesExactly() throws Exception {
    assertThat(signatures(Class.forName("org.apache.mesos.Scheduler")))
        .isEqualTo(signatures(reference.loadClass("org.apache.mesos.Scheduler")));
  }

  @Test
  void schedulerDriverMatchesExactly() throws Exception {
    assertThat(signatures(Class.forName("org.apache.mesos.SchedulerDriver")))
        .isEqualTo(signatures(reference.loadClass("org.apache.mesos.SchedulerDriver")));
  }

  @Test
  void nativeLibraryMatchesExactlyAndLoadsNothing() throws Exception {
    for (String name : new String[] {"org.apache.mesos.MesosNativeLibrary",
        "org.apache.mesos.MesosNativeLibrary$Version"}) {
      assertThat(signatures(Class.forName(name))).as(name).isEqualTo(signatures(reference.loadClass(name)));
    }
    org.apache.mesos.MesosNativeLibrary.load();
    org.apache.mesos.MesosNativeLibrary.load("/no/such/libmesos.so");
    org.apache.mesos.MesosNativeLibrary.Version version = org.apache.mesos.MesosNativeLibrary.version();
    assertThat(version.equals(new org.apache.mesos.MesosNativeLibrary.Version(1, 11))).isTrue();
    assertThat(version.after(new org.apache.mesos.MesosNativeLibrary.Version(1, 10, 9))).isTrue();
    assertThat(version.before(new org.apache.mesos.MesosNativeLibrary.Version(2))).isTrue();
    assertThat(org.apache.mesos.MesosNativeLibrary.VERSION).isEqualTo("1.11.0");
  }

  @Test
  void mesosSchedulerDriverHasEveryMember() throws Exception {
    Set<String> ours = signatures(Class.forName("org.apache.mesos.MesosSchedulerDriver"));
    Set<String> theirs = signatures(reference.loadClass("org.apache.mesos.MesosSchedulerDriver"));
    // finalize() is native in the JNI driver; ours inherits Object's, which links the same way.
    theirs.remove("protected void finalize()");
    assertThat(ours).containsAll(theirs);
    Set<String> extra = new TreeSet<>(ours);
    extra.removeAll(theirs);
    // The jmesos extensions: the constructor taking DriverOptions, and isIdle() for tests that settle.
    assertThat(extra).hasSize(2).contains("public boolean isIdle()");
    extra.remove("public boolean isIdle()");
    assertThat(extra).singleElement().asString().contains("io.jmesos.scheduler.DriverOptions");
  }

  @Test
  void v1SchedulerInterfacesMatchExactly() throws Exception {
    for (String name : new String[] {"org.apache.mesos.v1.scheduler.Mesos",
        "org.apache.mesos.v1.scheduler.Scheduler"}) {
      assertThat(signatures(Class.forName(name))).as(name).isEqualTo(signatures(reference.loadClass(name)));
      assertThat(Class.forName(name).isInterface()).isTrue();
    }
  }

  /**
   * V1Mesos and V0Mesos: the same public and protected members, but for finalize() (native in the JNI classes;
   * ours has none, nothing is freed on garbage collection). send, reconnect and initialize are native there.
   */
  @Test
  void v1MesosAndV0MesosMatchButForFinalize() throws Exception {
    for (String name : new String[] {"org.apache.mesos.v1.scheduler.V1Mesos",
        "org.apache.mesos.v1.scheduler.V0Mesos"}) {
      Class<?> ours = Class.forName(name);
      Class<?> theirs = reference.loadClass(name);
      Set<String> expected = signatures(theirs);
      assertThat(expected.remove("protected void finalize()")).as(name).isTrue();
      assertThat(signatures(ours)).as(name).isEqualTo(expected);
      assertThat(ours.getSuperclass().getName()).isEqualTo(theirs.getSuperclass().getName());
      assertThat(Arrays.stream(ours.getInterfaces()).map(Class::getName))
          .containsExactly("org.apache.mesos.v1.scheduler.Mesos");
      assertThat(Modifier.isFinal(ours.getModifiers())).isEqualTo(Modifier.isFinal(theirs.getModifiers()));
    }
  }

  @Test
  void stateClassesMatchExceptNativeFinalizers() throws Exception {
    for (String simple : new String[] {"State", "Variable", "AbstractState", "InMemoryState", "ZooKeeperState",
        "LevelDBState", "LogState"}) {
      String name = "org.apache.mesos.state." + simple;
      Class<?> ours = Class.forName(name);
      Class<?> theirs = reference.loadClass(name);
      Set<String> expected = signatures(theirs);
      // Their finalize() is native (JNI); ours is Object's, which links the same way. Their other native
      // methods (value, mutate, initialize) are plain Java here, with the same signatures.
      expected.remove("protected void finalize()");
      assertThat(signatures(ours)).as(name).isEqualTo(expected);
      assertThat(shape(ours)).as(name).isEqualTo(shape(theirs));
    }
  }

  /** A class' modifiers, superclass and interfaces. */
  private static String shape(Class<?> type) {
    String superclass = type.getSuperclass() == null ? "-" : type.getSuperclass().getName();
    String interfaces = Arrays.stream(type.getInterfaces()).map(Class::getName).reduce((a, b) -> a + ", " + b)
        .orElse("");
    return Modifier.toString(type.getModifiers()) + " extends " + superclass + " implements " + interfaces;
  }

  private static Set<String> signatures(Class<?> type) {
    Set<String> out = new TreeSet<>();
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      add(out, c, "<init>", "");
    }
    for (Method m : type.getDeclaredMethods()) {
      add(out, m, m.getName(), m.getGenericReturnType().getTypeName() + " ");
    }
    return out;
  }

  private static void add(Set<String> out, Executable e, String name, String returns) {
    int mod = e.getModifiers();
    if (e.isSynthetic() || !(Modifier.isPublic(mod) || Modifier.isProtected(mod))) {
      return;
    }
    String params = Arrays.stream(e.getGenericParameterTypes()).map(t -> t.getTypeName())
        .reduce((a, b) -> a + ", " + b).orElse("");
    String access = Modifier.isPublic(mod) ? "public " : "protected ";
    String deprecated = e.isAnnotationPresent(Deprecated.class) ? "@Deprecated " : "";
    out.add(deprecated + access + returns + name + "(" + params + ")");
  }
}
