/**
 * The exporter's own HTTP/1.1 server: bounded request reading, kept-alive connections with
 * per-client limits, gathering writes, and the request and response values that every route
 * handles.
 */
package io.github.dockerpulls.exporter.http;
