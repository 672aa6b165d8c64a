import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.JSRInlinerAdapter;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * A build step of the distribution, run on the shaded jar by the pom (not part of the product):
 * rewrites the class files older than Java 6 (version 50) as Java 8 class files (version 52) with
 * stack map frames, their code unchanged. picocli ships all its classes as Java 5 class files;
 * commons-logging, jBCrypt and some annotation jars have a few.
 *
 * <p>Why: the JVM's class data sharing refuses class files older than version 50, so every run
 * read, parsed and verified picocli's 228 classes from the jar again; archived, a one-repository
 * {@code export} starts about 30 ms sooner (docs/benchmarks.md). Every rewritten method is checked
 * with ASM's verifier before the jar is replaced, and the build fails on any doubt.
 *
 * <p>Usage: {@code java -cp ASM_JARS ModernClassFiles.java JAR}
 */
public final class ModernClassFiles {
  private final Map<String, byte[]> jarClasses = new HashMap<>();

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ModernClassFiles JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    new ModernClassFiles().rewrite(jar);
  }

  private void rewrite(Path jar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Map<String, Long> times = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        byte[] bytes = in.readAllBytes();
        entries.put(e.getName(), bytes);
        times.put(e.getName(), e.getTime());
        if (e.getName().endsWith(".class")) {
          jarClasses.put(e.getName().substring(0, e.getName().length() - 6), bytes);
        }
      }
    }
    Map<String, byte[]> rewritten = new HashMap<>();
    List<String> kept = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      String name = e.getKey();
      if (name.endsWith(".class") && !name.startsWith("META-INF/") && version(e.getValue()) < 50) {
        try {
          rewritten.put(name, upgrade(e.getValue()));
        } catch (Missing m) {
          // Such a class cannot load here either (commons-logging's log4j binding, say).
          kept.add(name + " (needs " + m.getMessage() + ")");
        }
      }
    }
    // A build says nothing when it succeeds: what was done is told with -Dmodernclassfiles.verbose.
    boolean verbose = Boolean.getBoolean("modernclassfiles.verbose");
    for (String k : kept) {
      if (verbose) {
        System.out.println("ModernClassFiles: left as it is: " + k);
      }
    }
    if (rewritten.isEmpty()) {
      if (verbose) {
        System.out.println(
            "ModernClassFiles: no class older than Java 6 in " + jar + "; unchanged");
      }
      return;
    }
    verify(jar, rewritten);
    Path temp = Files.createTempFile(jar.toAbsolutePath().getParent(), ".dockerpulls", ".jar");
    try {
      try (OutputStream file = Files.newOutputStream(temp);
          ZipOutputStream out = new ZipOutputStream(file)) {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          ZipEntry entry = new ZipEntry(e.getKey());
          entry.setTime(times.get(e.getKey()));
          out.putNextEntry(entry);
          out.write(rewritten.getOrDefault(e.getKey(), e.getValue()));
          out.closeEntry();
        }
      }
      Files.move(temp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    if (verbose) {
      System.out.println(
          "ModernClassFiles: "
              + rewritten.size()
              + " class files older than Java 6 rewritten as Java 8");
    }
  }

  /** The class file's major version. */
  private static int version(byte[] classFile) {
    return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
  }

  private byte[] upgrade(byte[] original) {
    ClassReader reader = new ClassReader(original);
    ClassWriter writer =
        new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
          @Override
          protected String getCommonSuperClass(String a, String b) {
            return commonSuperClass(a, b);
          }
        };
    ClassVisitor upgrading =
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visit(
              int version,
              int access,
              String name,
              String signature,
              String superName,
              String[] interfaces) {
            super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            // Class files before version 50 may use jsr/ret, which later ones must not.
            return new JSRInlinerAdapter(
                super.visitMethod(access, name, descriptor, signature, exceptions),
                access,
                name,
                descriptor,
                signature,
                exceptions);
          }
        };
    reader.accept(upgrading, ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }

  /** The nearest common superclass of two classes, read from class files, never loaded. */
  private String commonSuperClass(String a, String b) {
    if (isInterface(a) || isInterface(b)) {
      return "java/lang/Object";
    }
    Set<String> ofA = new HashSet<>(superClasses(a));
    for (String c : superClasses(b)) {
      if (ofA.contains(c)) {
        return c;
      }
    }
    return "java/lang/Object";
  }

  /** {@code name} and its superclasses, nearest first. */
  private List<String> superClasses(String name) {
    List<String> chain = new ArrayList<>();
    for (String c = name; c != null; c = new ClassReader(classFile(c)).getSuperName()) {
      chain.add(c);
    }
    return chain;
  }

  private boolean isInterface(String name) {
    return (new ClassReader(classFile(name)).getAccess() & Opcodes.ACC_INTERFACE) != 0;
  }

  private byte[] classFile(String name) {
    byte[] inJar = jarClasses.get(name);
    if (inJar != null) {
      return inJar;
    }
    try (InputStream in = ClassLoader.getSystemResourceAsStream(name + ".class")) {
      if (in == null) {
        throw new Missing(name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A class that is neither in the jar nor in the JDK. */
  private static final class Missing extends RuntimeException {
    Missing(String name) {
      super(name, null, false, false);
    }
  }

  /** Checks every method of the rewritten classes with ASM's verifier; fails the build if not. */
  private static void verify(Path jar, Map<String, byte[]> rewritten) throws IOException {
    Map<String, byte[]> byName = new HashMap<>();
    for (Map.Entry<String, byte[]> e : rewritten.entrySet()) {
      byName.put(e.getKey().substring(0, e.getKey().length() - 6).replace('/', '.'), e.getValue());
    }
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
              Class<?> c = findLoadedClass(name);
              if (c == null && byName.containsKey(name)) {
                byte[] b = byName.get(name);
                c = defineClass(name, b, 0, b.length);
              }
              return c != null ? c : super.loadClass(name, resolve);
            }
          }
        }) {
      for (Map.Entry<String, byte[]> e : rewritten.entrySet()) {
        ClassNode node = new ClassNode();
        new ClassReader(e.getValue()).accept(node, 0);
        Type self = Type.getObjectType(node.name);
        Type parent = node.superName == null ? null : Type.getObjectType(node.superName);
        List<Type> interfaces = new ArrayList<>();
        for (String i : node.interfaces) {
          interfaces.add(Type.getObjectType(i));
        }
        for (MethodNode method : node.methods) {
          SimpleVerifier verifier =
              new SimpleVerifier(
                  self, parent, interfaces, (node.access & Opcodes.ACC_INTERFACE) != 0);
          verifier.setClassLoader(loader);
          try {
            new Analyzer<BasicValue>(verifier).analyze(node.name, method);
          } catch (AnalyzerException problem) {
            throw new IllegalStateException(
                "ModernClassFiles: "
                    + node.name
                    + "."
                    + method.name
                    + method.desc
                    + " does not verify after rewriting: "
                    + problem.getMessage(),
                problem);
          }
        }
      }
    }
  }
}
