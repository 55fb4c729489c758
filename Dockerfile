# netlab in a container, for sweeps that run as Kubernetes Jobs (docs/scale-out.md).
#   docker build -t netlab:latest .
# Stage 1 builds the release binary with the Swift toolchain; stage 2 keeps only what it needs to
# run: the Swift runtime libraries (the slim image) and libpcap.
FROM swift:6.3-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpcap-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package manifest first, so that dependency resolution is cached apart from the sources.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product netlab --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/netlab" /usr/local/bin/netlab

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpcap0.8 libstdc++6 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/netlab /usr/local/bin/netlab
COPY Examples /usr/share/netlab/Examples
RUN useradd --create-home --uid 10001 netlab
USER netlab
WORKDIR /home/netlab
ENTRYPOINT []
CMD ["netlab", "--help"]
