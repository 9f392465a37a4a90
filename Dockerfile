# Multi-stage build of cc-api and the web app: compile in the Rust image, run in a slim Debian.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN rustup target add wasm32-unknown-unknown \
    && cargo install trunk --version '^0.21' --locked \
    && cargo install wasm-bindgen-cli --version "$(grep -A1 '^name = "wasm-bindgen"$' web/Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')"
RUN cd web && trunk build --release && cp -r dist /web-dist
RUN cargo build --release -p cc-api && cp target/release/cc-api /cc-api

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/cc-lite cc-lite && mkdir -p /var/lib/cc-lite && chown cc-lite /var/lib/cc-lite
COPY --from=build /cc-api /usr/local/bin/cc-api
COPY --from=build /web-dist /usr/share/cc-lite/web
USER cc-lite
WORKDIR /var/lib/cc-lite
ENV CC_BIND=0.0.0.0:8080 CC_DATA_DIR=/var/lib/cc-lite CC_WEB_DIR=/usr/share/cc-lite/web
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["cc-api"]
CMD ["serve"]
