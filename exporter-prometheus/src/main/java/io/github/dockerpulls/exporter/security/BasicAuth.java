package io.github.dockerpulls.exporter.security;

import io.github.dockerpulls.exporter.http.HttpRequest;
import io.github.dockerpulls.files.TextFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.mindrot.jbcrypt.BCrypt;

/**
 * HTTP basic authentication for the exporter's pages: one user with a password or its bcrypt hash,
 * or several users with bcrypt hashes (a web configuration file's {@code basic_auth_users}). A hash
 * ({@code $2a$}, {@code $2b$} or {@code $2y$}, as {@code htpasswd -B} writes them).
 *
 * <p>Checking a bcrypt hash costs tens of milliseconds by design; the digest of the last accepted
 * credentials is kept so that a Prometheus server scraping every few seconds pays it once, not on
 * every scrape. Comparisons run in constant time. The secret never appears in {@link #toString()}.
 *
 * <p>Failed attempts are made cheap for the server and slow for the client: one bcrypt check runs
 * at a time, and an address whose attempt failed waits before its next one is checked (100 ms after
 * the first failure, doubling to 10 s). An address without failures waits its turn for the check
 * (up to a second, at most two such waiting at once), in arrival order; an address that failed
 * before is throttled at once when a check runs or one waits. Accepted credentials are recognised
 * before either rule. So, while other addresses flood wrong passwords, a scrape with the right
 * password goes through, and so does another user's first request; right after a restart each
 * flooding address is checked once before it backs off, so a user's first check may wait for as
 * many checks as there are flooding addresses.
 */
public final class BasicAuth {
  /** What {@link #check} decided. */
  public enum Decision {
    ACCEPTED,
    REJECTED,
    /** Not checked: a bcrypt check is running, or this address failed a moment ago. */
    THROTTLED
  }

  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int MAX_TRACKED_ADDRESSES = 10_000;

  /** Failures of one client address: how many in a row, and when it may try again. */
  private record Failures(int count, long notBefore) {}

  private final Map<InetAddress, Failures> failures = new ConcurrentHashMap<>();
  private final Semaphore bcryptChecks = new Semaphore(1, true);

  /** Requests of addresses without failures waiting for the bcrypt check, at most two. */
  private final java.util.concurrent.atomic.AtomicInteger waiting =
      new java.util.concurrent.atomic.AtomicInteger();

  private volatile LongSupplier nanoTime = System::nanoTime;

  /** One user's secret: the digest of a password, or a bcrypt hash. */
  private record Secret(byte[] plainDigest, String bcryptHash) {}

  private final Map<String, Secret> secrets;
  private final boolean costly;

  /**
   * Checked for a user that does not exist, so that an unknown name costs the same bcrypt work as a
   * wrong password and the answer's timing does not tell which names exist; null without bcrypt.
   */
  private final Secret decoy;

  /** Per user, the digest of the credentials last accepted, so a scraper pays bcrypt once. */
  private final Map<String, byte[]> lastAccepted = new ConcurrentHashMap<>();

  private BasicAuth(Map<String, String> users) {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("no basic auth user is given");
    }
    Map<String, Secret> map = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : users.entrySet()) {
      String user = e.getKey();
      String secret = e.getValue();
      if (user == null || user.isEmpty() || user.indexOf(':') >= 0) {
        throw new IllegalArgumentException("the basic auth user must be non-empty and without ':'");
      }
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException("the basic auth password is empty (user " + user + ")");
      }
      // $2b$ and $2y$ name the same algorithm as $2a$ for passwords under 72 bytes; jBCrypt
      // 0.4 only knows the $2a$ spelling.
      map.put(
          user,
          isBcrypt(secret)
              ? new Secret(null, "$2a$" + secret.substring(4))
              : new Secret(sha256(secret), null));
    }
    this.secrets = Map.copyOf(map);
    this.decoy = map.values().stream().filter(x -> x.bcryptHash() != null).findFirst().orElse(null);
    this.costly = decoy != null;
  }

  /**
   * Protection for {@code user}, with {@code secret} being the password or its bcrypt hash.
   *
   * @throws IllegalArgumentException if the user or the secret is unusable
   */
  public static BasicAuth of(String user, String secret) {
    return new BasicAuth(Map.of(user, Objects.requireNonNull(secret, "secret").strip()));
  }

  /**
   * Protection for several users, each with a bcrypt hash, as a web configuration file's {@code
   * basic_auth_users} gives them.
   *
   * @throws IllegalArgumentException if a user is unusable or a value is not a bcrypt hash
   */
  public static BasicAuth ofBcryptHashes(Map<String, String> users) {
    for (Map.Entry<String, String> e : users.entrySet()) {
      if (e.getValue() == null || !isBcrypt(e.getValue())) {
        throw new IllegalArgumentException(
            "the password of " + e.getKey() + " is not a bcrypt hash ($2a$, $2b$ or $2y$)");
      }
    }
    return new BasicAuth(users);
  }

  /**
   * Protection for {@code user} with the password or bcrypt hash read from the first line of {@code
   * file} (a Kubernetes Secret mounted as a file, for example).
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is empty
   */
  public static BasicAuth fromFile(String user, Path file) throws IOException {
    String content = TextFiles.read(file, TextFiles.SECRET_LIMIT).strip();
    int newline = content.indexOf('\n');
    String secret = newline < 0 ? content : content.substring(0, newline).strip();
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the file holds no password or bcrypt hash");
    }
    return new BasicAuth(Map.of(user, secret));
  }

  static boolean isBcrypt(String secret) {
    return secret.length() == 60 && secret.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
  }

  /** The user names that are accepted, in order. */
  public java.util.Set<String> users() {
    return new java.util.TreeSet<>(secrets.keySet());
  }

  /** The clock the back-off is measured with ({@link System#nanoTime} unless set). */
  public BasicAuth clock(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    return this;
  }

  /** The {@code WWW-Authenticate} challenge. */
  public String challenge() {
    return "Basic realm=\"dockerpulls\", charset=\"UTF-8\"";
  }

  /** Whether {@code request}'s {@code Authorization} header carries the accepted credentials. */
  public Decision check(HttpRequest request) {
    String header = request.header("Authorization");
    String username = null;
    String password = null;
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon >= 0) {
          username = pair.substring(0, colon);
          password = pair.substring(colon + 1);
        }
      } catch (IllegalArgumentException notBase64) {
        // a malformed header is a failed attempt like any other
      }
    }
    if (username != null && isLastAccepted(username, password)) {
      return Decision.ACCEPTED;
    }
    InetAddress client = request.client();
    long now = nanoTime.getAsLong();
    Failures before = failures.get(client);
    if (before != null && now - before.notBefore() < 0) {
      return Decision.THROTTLED;
    }
    if (username == null) {
      return Decision.REJECTED; // nothing to check: a browser's first request, or a probe
    }
    if (costly && !acquireCheck(before == null)) {
      return Decision.THROTTLED;
    }
    boolean ok;
    try {
      ok = checkCredentials(username, password);
    } finally {
      if (costly) {
        bcryptChecks.release();
      }
    }
    if (ok) {
      failures.remove(client);
      return Decision.ACCEPTED;
    }
    failed(client, before, nanoTime.getAsLong());
    return Decision.REJECTED;
  }

  /**
   * The one bcrypt check's turn: an address without failures waits for it up to a second (two at
   * most wait), in arrival order; one that failed before gets it only when nobody runs or waits.
   */
  private boolean acquireCheck(boolean clean) {
    try {
      if (clean && waiting.incrementAndGet() <= 2) {
        try {
          return bcryptChecks.tryAcquire(1, TimeUnit.SECONDS);
        } finally {
          waiting.decrementAndGet();
        }
      }
      if (clean) {
        waiting.decrementAndGet();
      }
      return bcryptChecks.tryAcquire(0, TimeUnit.SECONDS); // honours the waiting ones' order
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void failed(InetAddress client, Failures before, long now) {
    if (failures.size() >= MAX_TRACKED_ADDRESSES) {
      failures.values().removeIf(f -> now - f.notBefore() >= 0);
    }
    int count = before == null ? 1 : Math.min(before.count() + 1, 30);
    long backoff = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(count - 1, 20));
    failures.put(client, new Failures(count, now + backoff));
  }

  private boolean isLastAccepted(String username, String password) {
    byte[] last = username == null ? null : lastAccepted.get(username);
    return last != null && MessageDigest.isEqual(last, sha256(username + '\u0000' + password));
  }

  /**
   * Whether these are the accepted user and password (bcrypt-checked when the secret is a hash).
   */
  public boolean checkCredentials(String username, String password) {
    if (username == null || password == null) {
      return false;
    }
    byte[] both = sha256(username + '\u0000' + password);
    byte[] last = username == null ? null : lastAccepted.get(username);
    if (last != null && MessageDigest.isEqual(last, both)) {
      return true;
    }
    Secret secret = secrets.get(username);
    boolean userOk = secret != null;
    Secret checked = userOk ? secret : decoy != null ? decoy : new Secret(null, null);
    boolean passwordOk;
    if (checked.bcryptHash() != null) {
      try {
        passwordOk = BCrypt.checkpw(password, checked.bcryptHash());
      } catch (IllegalArgumentException malformed) {
        passwordOk = false;
      }
    } else {
      passwordOk =
          checked.plainDigest() != null
              && MessageDigest.isEqual(checked.plainDigest(), sha256(password));
    }
    if (userOk && passwordOk) {
      lastAccepted.put(username, both);
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
    return "BasicAuth[users=" + users() + ", " + (costly ? "bcrypt" : "password") + "=***]";
  }
}
