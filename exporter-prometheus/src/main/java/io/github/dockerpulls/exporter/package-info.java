/**
 * The exporter: {@link io.github.dockerpulls.exporter.ExporterServer} wires the routes of its
 * packages behind one HTTP server.
 *
 * <ul>
 *   <li>{@code http}: the HTTP/1.1 server, its request and response, its limits;
 *   <li>{@code security}: basic auth, the web configuration file, PEM files and TLS key reloading;
 *   <li>{@code metrics}: the metric families built from each snapshot, and {@code /metrics};
 *   <li>{@code web}: the dashboard, badges, status JSON, the history API and the static report.
 * </ul>
 *
 * <p>The sub-packages depend on {@code http} and {@code metrics}, never on this package. What the
 * command line uses is documented as such; the rest is public only because Java packages need it to
 * be, and may change with any release.
 */
package io.github.dockerpulls.exporter;
