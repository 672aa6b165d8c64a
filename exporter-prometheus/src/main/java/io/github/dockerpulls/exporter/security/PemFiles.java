package io.github.dockerpulls.exporter.security;

import io.github.dockerpulls.files.TextFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files: certificate chains, and unencrypted private keys in PKCS#8 ({@code PRIVATE
 * KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form, the last two
 * rewrapped as PKCS#8 with a minimal DER writer; and proves that a key and a certificate belong
 * together.
 */
final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private PemFiles() {}

  /** Reads every {@code CERTIFICATE} block of a PEM file, leaf first. */
  static List<X509Certificate> readCertificates(Path file) throws IOException {
    String pem = TextFiles.read(file, TextFiles.DOCUMENT_LIMIT);
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Matcher m = BLOCK.matcher(pem);
      while (m.find()) {
        if (m.group(1).equals("CERTIFICATE")) {
          chain.add(
              (X509Certificate)
                  factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": not a valid certificate: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no PEM CERTIFICATE block");
    }
    return chain;
  }

  /** Reads the first private key block of a PEM file. */
  static PrivateKey readPrivateKey(Path file) throws IOException {
    String pem = TextFiles.read(file, TextFiles.DOCUMENT_LIMIT);
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      String type = m.group(1);
      byte[] der = decode(m.group(2));
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(file, der);
        case "RSA PRIVATE KEY":
          return pkcs8(file, wrap(RSA_ALGORITHM, der));
        case "EC PRIVATE KEY":
          return pkcs8(file, wrap(ecAlgorithm(file, der), der));
        case "ENCRYPTED PRIVATE KEY":
          throw new IllegalArgumentException(
              file + " holds an encrypted key; give the exporter the unencrypted key");
        default:
          // other blocks (EC PARAMETERS, CERTIFICATE) may sit next to the key
      }
    }
    throw new IllegalArgumentException(file + " holds no PEM private key block");
  }

  private static byte[] decode(String base64) {
    return Base64.getMimeDecoder().decode(base64.strip());
  }

  private static PrivateKey pkcs8(Path file, byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(file + ": the private key is not RSA, EC or EdDSA");
  }

  // AlgorithmIdentifier for rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters.
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  // OBJECT IDENTIFIER id-ecPublicKey (1.2.840.10045.2.1).
  private static final byte[] EC_PUBLIC_KEY = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  /** The AlgorithmIdentifier for a SEC1 key: id-ecPublicKey and the curve named in [0]. */
  private static byte[] ecAlgorithm(Path file, byte[] sec1) {
    // ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters, [1] key }
    Der seq = new Der(sec1, 0);
    if (seq.tag != 0x30) {
      throw new IllegalArgumentException(file + ": the EC private key is not DER");
    }
    int pos = seq.contentStart;
    while (pos < seq.end) {
      Der item = new Der(sec1, pos);
      if (item.tag == 0xa0) {
        Der oid = new Der(sec1, item.contentStart);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(EC_PUBLIC_KEY);
        out.write(sec1, oid.start, oid.end - oid.start);
        return sequence(0x30, out.toByteArray());
      }
      pos = item.end;
    }
    throw new IllegalArgumentException(
        file + ": the EC private key does not name its curve; write it with the curve's name");
  }

  /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }. */
  private static byte[] wrap(byte[] algorithm, byte[] key) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.writeBytes(sequence(0x04, key));
    return sequence(0x30, body.toByteArray());
  }

  private static byte[] sequence(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** One DER tag-length-value: where it starts, where its content starts and where it ends. */
  private static final class Der {
    final int tag;
    final int start;
    final int contentStart;
    final int end;

    Der(byte[] der, int at) {
      if (at + 2 > der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
      start = at;
      tag = der[at] & 0xff;
      int len = der[at + 1] & 0xff;
      int pos = at + 2;
      if (len >= 0x80) {
        int bytes = len & 0x7f;
        if (bytes > 3 || pos + bytes > der.length) {
          throw new IllegalArgumentException("malformed DER length");
        }
        len = 0;
        for (int i = 0; i < bytes; i++) {
          len = (len << 8) | (der[pos++] & 0xff);
        }
      }
      contentStart = pos;
      end = pos + len;
      if (end > der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
    }
  }

  /**
   * Whether {@code key} is the private key of {@code certificate}: a signature made with the key
   * verifies with the certificate's public key. Matching algorithms alone would let a different key
   * of the same kind through, and the first handshake would fail instead of the start.
   */
  static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null; // RSASSA-PSS needs parameters from the certificate: algorithm match only
        };
    if (algorithm == null) {
      return true;
    }
    try {
      byte[] challenge = new byte[32];
      new java.security.SecureRandom().nextBytes(challenge);
      java.security.Signature signer = java.security.Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
