package io.github.dockerpulls.hub.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Client-side TLS for tests that talk to servers using the test certificates. */
public final class TestTls {
  private TestTls() {}

  /** The first certificate of a PEM file. */
  public static X509Certificate certificate(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(pem + ": " + e.getMessage(), e);
    }
  }

  /** A client context that trusts exactly the certificates in these PEM files. */
  public static SSLContext trusting(Path... pems) {
    X509Certificate[] certs = new X509Certificate[pems.length];
    for (int i = 0; i < pems.length; i++) {
      certs[i] = certificate(pems[i]);
    }
    return trusting(certs);
  }

  /** A client context that trusts exactly these certificates. */
  public static SSLContext trusting(X509Certificate... certs) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < certs.length; i++) {
        trust.setCertificateEntry("trusted-" + i, certs[i]);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
