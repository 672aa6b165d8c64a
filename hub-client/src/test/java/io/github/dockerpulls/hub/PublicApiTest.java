package io.github.dockerpulls.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * hub-client's public API, as the built classes have it, against the dump checked in at {@code
 * hub-client/api/hub-client.api}: a change to a public signature fails the build until the dump is
 * updated on purpose, with {@code -Ddockerpulls.api.update=true}, and reviewed with the change.
 */
class PublicApiTest {
  private static final Path DUMP = Path.of("api", "hub-client.api");

  @Test
  void thePublicApiIsTheOneCheckedIn() throws Exception {
    String actual = String.join("\n", dump()) + "\n";
    if (Boolean.getBoolean("dockerpulls.api.update")) {
      Files.writeString(DUMP, actual, StandardCharsets.UTF_8);
    }
    String expected = Files.readString(DUMP, StandardCharsets.UTF_8);
    List<String> differences = differences(expected, actual);
    assertThat(differences)
        .as(
            "hub-client's public API changed; if on purpose, run the tests with"
                + " -Ddockerpulls.api.update=true and commit api/hub-client.api")
        .isEmpty();
  }

  @Test
  void aChangedSignatureIsNamed() throws Exception {
    String actual = String.join("\n", dump()) + "\n";
    String line = dump().stream().filter(l -> l.contains(".listTags(")).findFirst().orElseThrow();
    String changed = actual.replace(line, line.replace("int)", "long)"));
    assertThat(differences(changed, actual))
        .containsExactly("- " + line.replace("int)", "long)"), "+ " + line);
  }

  /** Lines only the expected dump has ("- ...") and only the actual one has ("+ ..."). */
  static List<String> differences(String expected, String actual) {
    TreeSet<String> was = new TreeSet<>(expected.lines().toList());
    TreeSet<String> is = new TreeSet<>(actual.lines().toList());
    List<String> out = new ArrayList<>();
    for (String l : was) {
      if (!is.contains(l)) {
        out.add("- " + l);
      }
    }
    for (String l : is) {
      if (!was.contains(l)) {
        out.add("+ " + l);
      }
    }
    return out;
  }

  /** One line per public type of the exported package and per public or protected member. */
  static List<String> dump() throws IOException, URISyntaxException, ClassNotFoundException {
    Path classes =
        Path.of(DockerHub.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path pkg = classes.resolve("io/github/dockerpulls/hub");
    List<String> lines = new ArrayList<>();
    List<String> names;
    try (Stream<Path> files = Files.list(pkg)) {
      names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
              .map(n -> n.substring(0, n.length() - ".class".length()))
              .sorted()
              .toList();
    }
    for (String name : names) {
      Class<?> c = Class.forName("io.github.dockerpulls.hub." + name);
      if (!isPublicApi(c)) {
        continue;
      }
      StringBuilder type = new StringBuilder(c.toGenericString());
      if (c.getGenericSuperclass() != null
          && c.getSuperclass() != Object.class
          && c.getSuperclass() != Record.class
          && c.getSuperclass() != Enum.class) {
        type.append(" extends ").append(c.getGenericSuperclass().getTypeName());
      }
      if (c.getGenericInterfaces().length > 0) {
        List<String> interfaces = new ArrayList<>();
        for (java.lang.reflect.Type t : c.getGenericInterfaces()) {
          interfaces.add(t.getTypeName());
        }
        type.append(c.isInterface() ? " extends " : " implements ")
            .append(String.join(", ", interfaces));
      }
      lines.add(type.toString());
      TreeSet<String> members = new TreeSet<>();
      for (Field f : c.getDeclaredFields()) {
        if (visible(f.getModifiers()) && !f.isSynthetic()) {
          members.add("  " + f.toGenericString());
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (visible(k.getModifiers()) && !k.isSynthetic()) {
          members.add("  " + k.toGenericString());
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
          members.add("  " + m.toGenericString());
        }
      }
      lines.addAll(members);
    }
    return lines;
  }

  private static boolean isPublicApi(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }
}
