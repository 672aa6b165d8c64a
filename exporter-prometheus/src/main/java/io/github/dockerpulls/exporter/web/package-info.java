/**
 * What people and scripts read besides the metrics: the dashboard and its assets, badges, {@code
 * /api/v1/status}, {@code /api/v1/history}, and the static HTML report that {@code dockerpulls
 * report -f html} writes. They read the collector's view and the history; none calls Docker Hub.
 */
package io.github.dockerpulls.exporter.web;
