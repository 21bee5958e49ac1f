# syntax=docker/dockerfile:1
# Live mode only: the image serves against real AWS/Advalidation; the emulator, demo and test
# tooling live outside src/ and never enter it (check:dist asserts dist/ is the product only).
# Node 24, the current LTS; CI runs the suite on Node 20 and on Node 24 (set NODE_MAJOR to move).
ARG NODE_MAJOR=24

FROM node:${NODE_MAJOR}-bookworm-slim AS build
WORKDIR /app
ENV AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json codegen.ts ./
COPY schema ./schema
COPY src ./src
COPY scripts/check-codegen.ts scripts/check-dist.ts ./scripts/
# The same steps as .ci/run: generated code must be current, compile, and dist/ is the product only.
RUN npm run codegen:check && npm run build && npm run check:dist

FROM node:${NODE_MAJOR}-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=4001 \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
USER node
EXPOSE 4001
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4001)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
