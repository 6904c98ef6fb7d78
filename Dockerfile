# syntax=docker/dockerfile:1
# The security-team app as a container: `docker build -t security-team-app .`
# Runs `node lib/main.js` (Probot's server, graceful stop on SIGTERM) as the unprivileged `node` user.
# Node 24 LTS, the version package.json pins for npm scripts (see "Node" in the README).
ARG NODE_VERSION=24

# --- build: all dependencies, compile TypeScript to lib/ ---
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies and the compiled app only ---
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/lib ./lib
COPY app.yml ./
COPY bin ./bin
COPY config ./config
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8 flags bound the heap's headroom: see "Memory" in docs/deployment.md.
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=50", "lib/main.js"]
