package io.github.dockerpulls.exporter.security;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * TLS for the exporter from PEM files, as cert-manager or a Kubernetes TLS Secret provides them: a
 * certificate chain ({@code tls.crt}) and an unencrypted private key ({@code tls.key}) in PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form.
 *
 * <p>The files are read again when they change (checked at most every {@link #RELOAD_CHECK}), so a
 * renewed certificate is served without a restart. A half-written pair keeps the previous one.
 */
public final class PemTls {
  /** How often, at most, the files' modification times are compared on new connections. */
  public static final Duration RELOAD_CHECK = Duration.ofSeconds(10);

  private PemTls() {}

  /**
   * A server {@link SSLContext} over the certificate chain and key in these PEM files.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if the files hold no usable certificate or key
   */
  public static SSLContext serverContext(Path certFile, Path keyFile) throws IOException {
    return serverContext(certFile, keyFile, System::nanoTime);
  }

  /**
   * {@link #serverContext(Path, Path)}, with the clock that spaces the checks for changed files.
   */
  public static SSLContext serverContext(Path certFile, Path keyFile, LongSupplier nanoTime)
      throws IOException {
    ReloadingKeyManager keys = new ReloadingKeyManager(certFile, keyFile, nanoTime);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keys}, null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
