# The meshroute container image: a static binary on distroless, run as non-root, usable as a CI
# step:   docker run --rm -v "$PWD:/work" meshroute:VERSION validate routing/
# Build it with `make image`, which passes the version stamp as build arguments (the build
# context leaves .git out, see .dockerignore).
FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=
ARG DATE=
# make build: the same flags and version stamp as release archives (the Makefile's LDFLAGS).
ENV CGO_ENABLED=0
RUN make build VERSION="$VERSION" COMMIT="$COMMIT" DATE="$DATE"

FROM gcr.io/distroless/static:nonroot
COPY --from=build /src/bin/meshroute /usr/local/bin/meshroute
USER nonroot
WORKDIR /work
ENTRYPOINT ["meshroute"]
