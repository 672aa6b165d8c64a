package io.github.dockerpulls.exporter.security;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The exporter's key manager: delegates to a key manager over the current PEM files, rebuilt when
 * their modification times change (compared at most every {@link PemTls#RELOAD_CHECK}). A pair that
 * cannot be read, half written say, keeps the previous one.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private final Path certFile;
  private final Path keyFile;
  private final LongSupplier nanoTime;
  private volatile Loaded current;

  /** The pair before the current one: a handshake may have chosen its alias just before. */
  private volatile Loaded previous;

  private static final String ALIAS = "dockerpulls";

  private long generation;

  ReloadingKeyManager(Path certFile, Path keyFile, LongSupplier nanoTime) throws IOException {
    this.certFile = Objects.requireNonNull(certFile, "certFile");
    this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
    this.nanoTime = nanoTime;
    this.current = load();
  }

  /**
   * One pair as loaded: its alias names the load, so that the chain and the key a handshake asks
   * for by alias always come from the same pair, even across a reload.
   */
  private record Loaded(X509ExtendedKeyManager delegate, long stamp, long checkedAt, String alias) {
    Loaded checked(long now) {
      return new Loaded(delegate, stamp, now, alias);
    }
  }

  private long stamp() throws IOException {
    return Files.getLastModifiedTime(certFile).toMillis() * 31
        + Files.getLastModifiedTime(keyFile).toMillis();
  }

  private Loaded load() throws IOException {
    long stamp = stamp();
    List<X509Certificate> chain = PemFiles.readCertificates(certFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())
        || !PemFiles.belongTogether(key, chain.get(0))) {
      throw new IllegalArgumentException(
          keyFile + " does not hold the key of the certificate in " + certFile);
    }
    String alias;
    synchronized (this) {
      alias = ALIAS + "-" + (++generation);
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] none = new char[0];
      store.setKeyEntry(alias, key, none, chain.toArray(new Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, none);
      for (KeyManager km : factory.getKeyManagers()) {
        if (km instanceof X509ExtendedKeyManager x) {
          return new Loaded(x, stamp, nanoTime.getAsLong(), alias);
        }
      }
      throw new IllegalStateException("this JVM offers no X.509 key manager");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          certFile + " and " + keyFile + " do not make a usable key pair: " + e.getMessage());
    }
  }

  /** The key manager to use now, after reading the files again if they changed. */
  X509ExtendedKeyManager delegate() {
    Loaded loaded = current;
    long now = nanoTime.getAsLong();
    if (now - loaded.checkedAt() < PemTls.RELOAD_CHECK.toNanos()) {
      return loaded.delegate();
    }
    synchronized (this) {
      loaded = current;
      if (now - loaded.checkedAt() < PemTls.RELOAD_CHECK.toNanos()) {
        return loaded.delegate();
      }
      try {
        if (stamp() == loaded.stamp()) {
          current = loaded.checked(now);
        } else {
          Loaded fresh = load();
          previous = loaded;
          current = fresh;
        }
      } catch (IOException | RuntimeException halfWritten) {
        // Keep serving the previous pair; look again after the next interval.
        current = loaded.checked(now);
      }
      return current.delegate();
    }
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return delegate().chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return delegate().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return delegate().getServerAliases(keyType, issuers);
  }

  /** The pair an alias names: the current one or the one before. */
  private X509ExtendedKeyManager byAlias(String alias) {
    Loaded now = current;
    if (now.alias().equals(alias)) {
      return now.delegate();
    }
    Loaded before = previous;
    return before != null && before.alias().equals(alias) ? before.delegate() : now.delegate();
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return byAlias(alias).getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return byAlias(alias).getPrivateKey(alias);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
    return null;
  }
}
