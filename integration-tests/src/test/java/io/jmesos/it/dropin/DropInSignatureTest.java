package io.jmesos.it.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every public class of the official {@code org.apache.mesos:mesos:1.11.0} jar is in the drop-in jar with the
 * official public and protected members: the same class header (kind, superclass, interfaces), and every
 * constructor, method and field with the same types, exceptions and deprecation. Both jars are loaded in
 * class loaders of their own over the official jar's protobuf-java (3.5.0). The JNI plumbing of the official
 * classes ({@code native initialize} and {@code finalize}) has no counterpart in pure Java and is the one
 * thing allowed to be missing; what the drop-in jar adds to hand-written classes is listed in {@link #EXTRAS}.
 */
class DropInSignatureTest {
  private static final Path DROPIN = Paths.get("target", "dropin").toAbsolutePath();
  private static final Path REFERENCE = Paths.get(System.getProperty("user.home"), ".m2", "repository", "org",
      "apache", "mesos", "mesos", "1.11.0", "mesos-1.11.0.jar");

  /** Members the drop-in jar adds beyond the official hand-written classes, with why. */
  private static final Map<String, Set<String>> EXTRAS = new LinkedHashMap<>();

  static {
    // The jmesos driver options (timeouts, clock) and isIdle() for tests that settle.
    EXTRAS.put("org.apache.mesos.MesosSchedulerDriver", Set.of("public boolean isIdle()",
        "public <init>(org.apache.mesos.Scheduler, org.apache.mesos.Protos$FrameworkInfo, "
            + "java.util.Collection<java.lang.String>, java.lang.String, boolean, org.apache.mesos.Protos$Credential, "
            + "io.jmesos.scheduler.DriverOptions)"));
    // Mesos' Position overrides equals() without hashCode(); ours keeps the contract.
    EXTRAS.put("org.apache.mesos.Log$Position", Set.of("public int hashCode()"));
  }

  private static URLClassLoader official;
  private static URLClassLoader dropIn;

  @BeforeAll
  static void load() throws Exception {
    URL protobuf = DROPIN.resolve("protobuf-java-oldest.jar").toUri().toURL();
    official = new URLClassLoader(new URL[] {REFERENCE.toUri().toURL(), protobuf},
        ClassLoader.getPlatformClassLoader());
    dropIn = new URLClassLoader(new URL[] {DROPIN.resolve("jmesos-mesos.jar").toUri().toURL(), protobuf},
        ClassLoader.getPlatformClassLoader());
  }

  @AfterAll
  static void close() throws Exception {
    official.close();
    dropIn.close();
  }

  @Test
  void everyOfficialClassHasItsOfficialMembers() throws Exception {
    List<String> classes = officialClasses();
    assertThat(classes).hasSizeGreaterThan(1500);
    List<String> problems = new ArrayList<>();
    Map<String, Set<String>> extras = new LinkedHashMap<>();
    for (String name : classes) {
      Class<?> theirs = official.loadClass(name);
      if (!Modifier.isPublic(theirs.getModifiers()) && !Modifier.isProtected(theirs.getModifiers())) {
        continue;
      }
      Class<?> ours;
      try {
        ours = dropIn.loadClass(name);
      } catch (ClassNotFoundException e) {
        problems.add(name + ": missing");
        continue;
      }
      if (!header(ours).equals(header(theirs))) {
        problems.add(name + ": " + header(ours) + " instead of " + header(theirs));
      }
      Set<String> want = members(theirs);
      want.removeIf(DropInSignatureTest::jniPlumbing);
      Set<String> have = members(ours);
      for (String member : want) {
        if (!have.contains(member)) {
          problems.add(name + ": missing " + member);
        }
      }
      if (!name.contains("Protos")) {
        Set<String> added = new TreeSet<>(have);
        added.removeAll(members(theirs));
        if (!added.isEmpty()) {
          extras.put(name, added);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(extras).isEqualTo(EXTRAS);
  }

  private static boolean jniPlumbing(String member) {
    return member.startsWith("protected void finalize(") || member.contains(" void initialize(");
  }

  private static List<String> officialClasses() throws Exception {
    try (ZipFile zip = new ZipFile(REFERENCE.toFile())) {
      return zip.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .sorted().collect(Collectors.toList());
    }
  }

  private static String header(Class<?> type) {
    int mod = type.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.ABSTRACT | Modifier.FINAL
        | Modifier.INTERFACE | Modifier.STATIC);
    String interfaces = Arrays.stream(type.getGenericInterfaces()).map(Type::getTypeName)
        .collect(Collectors.joining(", "));
    Type superclass = type.getGenericSuperclass();
    return Modifier.toString(mod) + " " + (type.isEnum() ? "enum " : "")
        + (superclass == null ? "" : "extends " + superclass.getTypeName()) + " implements " + interfaces;
  }

  private static Set<String> members(Class<?> type) {
    Set<String> out = new TreeSet<>();
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      add(out, c, "<init>", "");
    }
    for (Method m : type.getDeclaredMethods()) {
      String statics = Modifier.isStatic(m.getModifiers()) ? "static " : "";
      add(out, m, m.getName(), statics + m.getGenericReturnType().getTypeName() + " ");
    }
    for (Field f : type.getDeclaredFields()) {
      int mod = f.getModifiers();
      if (!f.isSynthetic() && (Modifier.isPublic(mod) || Modifier.isProtected(mod))) {
        out.add(Modifier.toString(mod & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL))
            + " " + f.getGenericType().getTypeName() + " " + f.getName());
      }
    }
    return out;
  }

  private static void add(Set<String> out, Executable e, String name, String returns) {
    int mod = e.getModifiers();
    if (e.isSynthetic() || !(Modifier.isPublic(mod) || Modifier.isProtected(mod))) {
      return;
    }
    String params = Arrays.stream(e.getGenericParameterTypes()).map(Type::getTypeName)
        .collect(Collectors.joining(", "));
    String exceptions = Arrays.stream(e.getGenericExceptionTypes()).map(Type::getTypeName).sorted()
        .collect(Collectors.joining(", "));
    String access = Modifier.isPublic(mod) ? "public " : "protected ";
    String deprecated = e.isAnnotationPresent(Deprecated.class) ? "@Deprecated " : "";
    out.add(deprecated + access + returns + name + "(" + params + ")"
        + (exceptions.isEmpty() ? "" : " throws " + exceptions));
  }
}
