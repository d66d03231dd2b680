# Stage 1: compile the bot into one executable (migrations and locales inside).
FROM denoland/deno:2.9.6 AS build
WORKDIR /src
COPY deno.json deno.lock ./
COPY src ./src
COPY migrations ./migrations
COPY locales ./locales
COPY scripts ./scripts
# The binary is named after the version (dist/booking-bot-<version>); the image calls it booking-bot.
RUN deno install --frozen && deno task compile && mv dist/booking-bot-* dist/booking-bot

# Stage 2: a slim runtime with just the binary and a data volume.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --uid 10001 --home /app bot
WORKDIR /app
COPY --from=build /src/dist/booking-bot /app/booking-bot
# Inside a container the servers must listen on all interfaces to be reachable at all.
ENV DATA_DIR=/app/data HEALTH_PORT=8080 HEALTH_HOST=0.0.0.0 WEBHOOK_HOST=0.0.0.0
RUN mkdir -p /app/data && chown bot /app/data
VOLUME ["/app/data"]
EXPOSE 8080
USER bot
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/app/booking-bot"]
CMD ["start"]
