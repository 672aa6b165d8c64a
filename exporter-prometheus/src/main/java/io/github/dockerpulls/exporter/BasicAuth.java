package io.github.dockerpulls.exporter;

import com.sun.net.httpserver.BasicAuthenticator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.mindrot.jbcrypt.BCrypt;

/**
 * HTTP basic authentication for the exporter's pages: one user, and either a password or its bcrypt
 * hash ({@code $2a$}, {@code $2b$} or {@code $2y$}, as {@code htpasswd -B} writes them).
 *
 * <p>Checking a bcrypt hash costs tens of milliseconds by design; the digest of the last accepted
 * credentials is kept so that a Prometheus server scraping every few seconds pays it once, not on
 * every scrape. Comparisons run in constant time. The secret never appears in {@link #toString()}.
 */
public final class BasicAuth extends BasicAuthenticator {
  private final String user;
  private final byte[] userDigest;
  private final byte[] plainDigest;
  private final String bcryptHash;
  private final AtomicReference<byte[]> lastAccepted = new AtomicReference<>();

  private BasicAuth(String user, String secret) {
    super("dockerpulls", StandardCharsets.UTF_8);
    if (user == null || user.isEmpty() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("the basic auth user must be non-empty and without ':'");
    }
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the basic auth password is empty");
    }
    this.user = user;
    this.userDigest = sha256(user);
    if (isBcrypt(secret)) {
      // $2b$ and $2y$ name the same algorithm as $2a$ for passwords under 72 bytes; jBCrypt
      // 0.4 only knows the $2a$ spelling.
      this.bcryptHash = "$2a$" + secret.substring(4);
      this.plainDigest = null;
    } else {
      this.bcryptHash = null;
      this.plainDigest = sha256(secret);
    }
  }

  /**
   * Protection for {@code user}, with {@code secret} being the password or its bcrypt hash.
   *
   * @throws IllegalArgumentException if the user or the secret is unusable
   */
  public static BasicAuth of(String user, String secret) {
    return new BasicAuth(user, Objects.requireNonNull(secret, "secret").strip());
  }

  /**
   * Protection for {@code user} with the password or bcrypt hash read from the first line of {@code
   * file} (a Kubernetes Secret mounted as a file, for example).
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is empty
   */
  public static BasicAuth fromFile(String user, Path file) throws IOException {
    String content = Files.readString(file, StandardCharsets.UTF_8).strip();
    int newline = content.indexOf('\n');
    String secret = newline < 0 ? content : content.substring(0, newline).strip();
    if (secret.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no password or bcrypt hash");
    }
    return new BasicAuth(user, secret);
  }

  static boolean isBcrypt(String secret) {
    return secret.length() == 60 && secret.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
  }

  /** The user name that is accepted. */
  public String user() {
    return user;
  }

  @Override
  public boolean checkCredentials(String username, String password) {
    if (username == null || password == null) {
      return false;
    }
    byte[] both = sha256(username + '\u0000' + password);
    byte[] last = lastAccepted.get();
    if (last != null && MessageDigest.isEqual(last, both)) {
      return true;
    }
    boolean userOk = MessageDigest.isEqual(userDigest, sha256(username));
    boolean passwordOk;
    if (bcryptHash != null) {
      try {
        passwordOk = BCrypt.checkpw(password, bcryptHash);
      } catch (IllegalArgumentException malformed) {
        passwordOk = false;
      }
    } else {
      passwordOk = MessageDigest.isEqual(plainDigest, sha256(password));
    }
    if (userOk && passwordOk) {
      lastAccepted.set(both);
      return true;
    }
    return false;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "BasicAuth[user=" + user + ", " + (bcryptHash != null ? "bcrypt" : "password") + "=***]";
  }
}
