# The chatbotctl image: the model-loader initContainer (`chatbotctl model sync ...`), the proxy sidecar in every vLLM
# pod (`chatbotctl proxy ...`) and pipeline jobs.
# Stage 1 builds the jar; stage 2 cuts a minimal Java runtime with jlink and a class-data-sharing archive;
# stage 3 is a small Debian with that runtime, running as a non-root user.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY cli/pom.xml cli/
RUN mvn -B -q -pl cli -am dependency:go-offline -DexcludeGroupIds=io.chatbotctl || true
COPY cli/src cli/src
# No .git in the build context: `chatbotctl version` reports the commit given here (CI passes --build-arg).
ARG GIT_COMMIT=unknown
RUN mvn -B -q -DskipTests -Dmaven.gitcommitid.skip=true package \
 && mkdir -p /tmp/git/io/chatbotctl \
 && printf 'git.commit.id.abbrev=%s\ngit.dirty=false\n' "$GIT_COMMIT" > /tmp/git/io/chatbotctl/git.properties \
 && (cd /tmp/git && jar uf /src/cli/target/chatbotctl.jar io/chatbotctl/git.properties)

FROM eclipse-temurin:17-jdk AS runtime
COPY --from=build /src/cli/target/chatbotctl.jar /opt/chatbotctl/chatbotctl.jar
# The modules the jar needs (jdeps), plus TLS (jdk.crypto.ec), DNS (jdk.naming.dns) and zip file systems.
RUN modules="$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 /opt/chatbotctl/chatbotctl.jar)" \
 && jlink --add-modules "${modules},jdk.crypto.ec,jdk.naming.dns,jdk.zipfs,jdk.unsupported" \
      --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive --output /opt/chatbotctl/runtime \
 && /opt/chatbotctl/runtime/bin/java -XX:ArchiveClassesAtExit=/opt/chatbotctl/chatbotctl.jsa -XX:+UseSerialGC \
      -cp /opt/chatbotctl/chatbotctl.jar io.chatbotctl.cli.Main __cds-train --native-dir /opt/chatbotctl/native >/dev/null \
 && chmod 0755 /opt/chatbotctl/native && chmod 0555 /opt/chatbotctl/native/*

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 chatbotctl \
 && useradd --system --uid 10001 --gid chatbotctl --home-dir /home/chatbotctl --create-home chatbotctl
COPY --from=runtime /opt/chatbotctl /opt/chatbotctl
# The wrapper picks the JVM flags by command as ./chatbotctl does (C1 + Serial for model sync, the initContainer).
COPY scripts/jvm-flags.sh /opt/chatbotctl/jvm-flags.sh
COPY scripts/image-chatbotctl /usr/local/bin/chatbotctl
USER 10001:10001
WORKDIR /home/chatbotctl
ENTRYPOINT ["chatbotctl"]
CMD ["--help"]
