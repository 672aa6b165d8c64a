/**
 * Who may ask and over what: basic auth with bcrypt hashes and a back-off for failed attempts, the
 * Prometheus exporter toolkit's web configuration file, PEM certificates and keys, and a key
 * manager that picks up renewed files.
 */
package io.github.dockerpulls.exporter.security;
