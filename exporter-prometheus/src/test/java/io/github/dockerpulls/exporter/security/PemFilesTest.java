package io.github.dockerpulls.exporter.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
  @TempDir Path dir;

  private Path fixture(String name) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/tls/" + name)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  @Test
  void readsAChainLeafFirst() throws IOException {
    Path chain = dir.resolve("chain.pem");
    Files.writeString(
        chain,
        Files.readString(fixture("rsa-cert.pem"))
            + "\n"
            + Files.readString(fixture("ec-cert.pem")));

    List<X509Certificate> certificates = PemFiles.readCertificates(chain);

    assertThat(certificates).hasSize(2);
    assertThat(certificates.get(0).getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(certificates.get(1).getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void readsPkcs8Pkcs1AndSec1KeysAndEachBelongsToItsCertificate() throws IOException {
    X509Certificate rsa = PemFiles.readCertificates(fixture("rsa-cert.pem")).get(0);
    X509Certificate ec = PemFiles.readCertificates(fixture("ec-cert.pem")).get(0);

    PrivateKey pkcs8 = PemFiles.readPrivateKey(fixture("rsa-key.pem"));
    PrivateKey pkcs1 = PemFiles.readPrivateKey(fixture("rsa-key-pkcs1.pem"));
    PrivateKey sec1 = PemFiles.readPrivateKey(fixture("ec-key-sec1.pem"));

    assertThat(pkcs8.getEncoded()).isEqualTo(pkcs1.getEncoded());
    assertThat(PemFiles.belongTogether(pkcs8, rsa)).isTrue();
    assertThat(PemFiles.belongTogether(pkcs1, rsa)).isTrue();
    assertThat(sec1.getAlgorithm()).isEqualTo("EC");
    assertThat(PemFiles.belongTogether(sec1, ec)).isTrue();
  }

  @Test
  void anotherKeyOfTheSameKindDoesNotBelong() throws IOException {
    X509Certificate rsa = PemFiles.readCertificates(fixture("rsa-cert.pem")).get(0);
    PrivateKey other = PemFiles.readPrivateKey(fixture("rsa2-key.pem"));

    assertThat(PemFiles.belongTogether(other, rsa)).isFalse();
  }

  @Test
  void aKeyBesideOtherBlocksIsFound() throws IOException {
    Path both = dir.resolve("both.pem");
    Files.writeString(
        both, Files.readString(fixture("rsa-cert.pem")) + Files.readString(fixture("rsa-key.pem")));

    assertThat(PemFiles.readPrivateKey(both).getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void filesWithoutTheBlockSaySo() throws IOException {
    Path key = fixture("rsa-key.pem");
    Path cert = fixture("rsa-cert.pem");

    assertThatThrownBy(() -> PemFiles.readCertificates(key))
        .hasMessage(key + " holds no PEM CERTIFICATE block");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(cert))
        .hasMessage(cert + " holds no PEM private key block");
  }
}
