# TracPro image: one image, the role chosen by the command (web, worker, CLI).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --include=dev --no-audit --no-fund --ignore-scripts
COPY . .
RUN node scripts/vendor.js && node scripts/prismaGenerate.js
USER node
EXPOSE 3000
CMD ["node", "--max-old-space-size=512", "--import", "tsx", "src/main.ts", "web"]
