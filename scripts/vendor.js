#!/usr/bin/env node
// Copies the front-end libraries the pages use from node_modules into static/vendor/, so they are
// served by the app itself (never from a CDN). Runs after every npm install/ci.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = {
  'bootstrap/bootstrap.min.css': 'bootstrap/dist/css/bootstrap.min.css',
  'bootstrap/bootstrap.rtl.min.css': 'bootstrap/dist/css/bootstrap.rtl.min.css',
  'bootstrap/bootstrap.bundle.min.js': 'bootstrap/dist/js/bootstrap.bundle.min.js',
  'chart.js/chart.umd.min.js': 'chart.js/dist/chart.umd.min.js',
  'chartjs-chart-wordcloud/index.umd.min.js': 'chartjs-chart-wordcloud/build/index.umd.min.js',
  'leaflet/leaflet.js': 'leaflet/dist/leaflet.js',
  'leaflet/leaflet.css': 'leaflet/dist/leaflet.css',
  'leaflet.fullscreen/Control.FullScreen.umd.js': 'leaflet.fullscreen/dist/Control.FullScreen.umd.js',
  'leaflet.fullscreen/Control.FullScreen.css': 'leaflet.fullscreen/dist/Control.FullScreen.css',
};

for (const [target, source] of Object.entries(files)) {
  const from = join(root, 'node_modules', source);
  if (!existsSync(from)) {
    console.error(`vendor: ${source} is missing; run npm install`);
    process.exit(1);
  }
  const to = join(root, 'static/vendor', target);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to);
}
