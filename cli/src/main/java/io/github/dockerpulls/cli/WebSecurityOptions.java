package io.github.dockerpulls.cli;

import io.github.dockerpulls.exporter.security.BasicAuth;
import io.github.dockerpulls.exporter.security.PemTls;
import io.github.dockerpulls.exporter.security.WebConfig;
import io.github.dockerpulls.exporter.security.WebConfigFile;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code serve}'s HTTPS and basic auth: either the {@code --tls-*} and {@code --web-auth-*} options
 * or the Prometheus exporter toolkit's {@code --web.config.file}, never both, checked and loaded
 * before anything listens.
 */
final class WebSecurityOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--web-auth-user",
      paramLabel = "USER",
      defaultValue = "${env:DOCKERPULLS_WEB_AUTH_USER}",
      description =
          "Require HTTP basic auth with this user for /metrics and / (env"
              + " DOCKERPULLS_WEB_AUTH_USER). The health endpoints stay open.")
  String webAuthUser;

  @Option(
      names = "--web-auth-password-file",
      paramLabel = "FILE",
      defaultValue = "${env:DOCKERPULLS_WEB_AUTH_PASSWORD_FILE}",
      description =
          "File holding the basic auth password or its bcrypt hash, as htpasswd -nbB writes it"
              + " (env DOCKERPULLS_WEB_AUTH_PASSWORD_FILE).")
  Path webAuthPasswordFile;

  @Option(
      names = "--tls-cert-file",
      paramLabel = "PEM",
      defaultValue = "${env:DOCKERPULLS_TLS_CERT_FILE}",
      description =
          "Serve HTTPS with this PEM certificate chain, such as a Kubernetes Secret's tls.crt"
              + " (env DOCKERPULLS_TLS_CERT_FILE). Re-read when it changes.")
  Path tlsCertFile;

  @Option(
      names = "--tls-key-file",
      paramLabel = "PEM",
      defaultValue = "${env:DOCKERPULLS_TLS_KEY_FILE}",
      description =
          "The certificate's unencrypted PEM private key: PKCS#8, PKCS#1 or SEC1 (env"
              + " DOCKERPULLS_TLS_KEY_FILE).")
  Path tlsKeyFile;

  @Option(
      names = "--web.config.file",
      paramLabel = "FILE",
      defaultValue = "${env:DOCKERPULLS_WEB_CONFIG_FILE}",
      description =
          "The Prometheus exporter toolkit's web configuration (tls_server_config, basic_auth_users,"
              + " http_server_config.headers), re-read when it changes (env"
              + " DOCKERPULLS_WEB_CONFIG_FILE). Replaces the --tls-* and --web-auth-* options.")
  Path webConfigFile;

  /**
   * What the exporter serves with.
   *
   * @param file the web configuration file, re-read when it changes; null without one
   * @param basicAuth the fixed credentials of the --web-auth-* options; null without them
   * @param tls the HTTPS context, from the file or the --tls-* options; null for HTTP
   */
  record Settings(WebConfigFile file, BasicAuth basicAuth, SSLContext tls) {}

  /** The settings the options give, or a one-line {@link ParameterException}. */
  Settings settings() {
    WebConfigFile web = webConfig();
    BasicAuth auth = basicAuth();
    SSLContext tls = web != null ? tls(web.initial()) : tls();
    return new Settings(web, auth, tls);
  }

  private BasicAuth basicAuth() {
    if (webAuthUser == null && webAuthPasswordFile == null) {
      return null;
    }
    if (webAuthUser == null || webAuthPasswordFile == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--web-auth-user and --web-auth-password-file go together: give both or neither");
    }
    try {
      return BasicAuth.fromFile(webAuthUser, webAuthPasswordFile);
    } catch (IOException | IllegalArgumentException e) {
      // The path is not repeated: a password given in its place would be echoed.
      throw new ParameterException(
          spec.commandLine(), "--web-auth-password-file: " + SecretFile.reason(e));
    }
  }

  private WebConfigFile webConfig() {
    if (webConfigFile == null) {
      return null;
    }
    if (webAuthUser != null
        || webAuthPasswordFile != null
        || tlsCertFile != null
        || tlsKeyFile != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--web.config.file replaces --tls-cert-file, --tls-key-file, --web-auth-user and"
              + " --web-auth-password-file: give the file or those options, not both");
    }
    try {
      return WebConfigFile.open(webConfigFile);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "--web.config.file: " + SecretFile.reason(e));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--web.config.file " + webConfigFile + ": " + e.getMessage());
    }
  }

  private SSLContext tls(WebConfig config) {
    return config.tls()
        ? serverContext(config.certFile(), config.keyFile(), "--web.config.file: tls_server_config")
        : null;
  }

  private SSLContext tls() {
    if (tlsCertFile == null && tlsKeyFile == null) {
      return null;
    }
    if (tlsCertFile == null || tlsKeyFile == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--tls-cert-file and --tls-key-file go together: give both or neither");
    }
    return serverContext(tlsCertFile, tlsKeyFile, "--tls");
  }

  /** The TLS context of a certificate and key pair; {@code source} starts its error messages. */
  private SSLContext serverContext(Path cert, Path key, String source) {
    try {
      return PemTls.serverContext(cert, key);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(),
          source + ": cannot read " + e.getMessage() + " (" + e.getClass().getSimpleName() + ")");
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), source + ": " + e.getMessage());
    }
  }
}
