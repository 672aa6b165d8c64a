# syntax=docker/dockerfile:1
# dockerpulls: `docker build -t dockerpulls .`, then, as with the Flask exporter:
#   docker run -p 2113:2113 -e DOCKERHUB_ORGANIZATION=camunda dockerpulls
# Any other command works too: docker run --rm dockerpulls export --repo library/httpd

# Build: the same Maven build as on a developer's machine, without the tests (CI runs those).
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -Dspotless.check.skip=true package \
 && mkdir /dist \
 && tar -xzf distribution/target/dockerpulls-*.tar.gz -C /dist --strip-components=1

# Run: a JRE, the unpacked distribution, and a class data sharing archive trained for this JRE.
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 dockerpulls \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin dockerpulls
COPY --from=build /dist /opt/dockerpulls
RUN java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xlog:disable \
      -XX:ArchiveClassesAtExit=/opt/dockerpulls/lib/dockerpulls.jsa \
      -cp /opt/dockerpulls/lib/dockerpulls.jar io.github.dockerpulls.distribution.CdsTraining \
 && ln -s /opt/dockerpulls/bin/dockerpulls /usr/local/bin/dockerpulls \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/dockerpulls

USER 10001:10001
# The user has no home directory (/nonexistent), so every place written to is named here.
ENV DOCKERPULLS_CACHE_DIR=/tmp/dockerpulls \
    DOCKERPULLS_DATA_DIR=/var/lib/dockerpulls \
    DOCKERPULLS_SPOOL_DIR=/var/lib/dockerpulls/spool
# The pull count history (dockerpulls.db) and the Elasticsearch spool: mount a volume here to
# keep them across containers.
VOLUME ["/var/lib/dockerpulls"]
EXPOSE 2113
# /-/healthy answers 200 while the process runs; over HTTPS when --tls-cert-file is given.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${DOCKERPULLS_PORT:-2113}/-/healthy" \
   || curl -fsSk -o /dev/null "https://127.0.0.1:${DOCKERPULLS_PORT:-2113}/-/healthy"
ENTRYPOINT ["/opt/dockerpulls/bin/dockerpulls"]
CMD ["serve"]
