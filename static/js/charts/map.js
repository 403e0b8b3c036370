// A question's map (spec §13.7) with Leaflet: boundaries from /api/boundaries (fetched once per
// page), fill colours and the legend from the figure's JSON {mapData, allCategories, colours,
// noDataColour, boundaryIds, table}. Hover shows an info box; the view fits the boundaries and
// cannot zoom out beyond them; the scroll wheel does not zoom; a fullscreen control.
import { done, fetchChartData, loadScript, renderTable } from './common.js';

const boundarySets = new Map();

function loadBoundaries(url) {
  if (!boundarySets.has(url)) {
    boundarySets.set(url, fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then((r) => {
      if (!r.ok) throw new Error(`${url} answered ${r.status}`);
      return r.json();
    }));
  }
  return boundarySets.get(url);
}

async function loadLeaflet() {
  await loadScript('/static/vendor/leaflet/leaflet.js');
  await loadScript('/static/vendor/leaflet.fullscreen/Control.FullScreen.umd.js');
  return window.L;
}

/** A Leaflet control holding some DOM (info box, legend). */
function box(L, position, className) {
  const control = L.control({ position });
  control.onAdd = () => {
    const div = L.DomUtil.create('div', `map-box ${className}`);
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  return control;
}

function drawMap(L, figure, data, boundaries) {
  const strings = figure.dataset;
  const container = figure.querySelector('.map-canvas');
  const map = L.map(container, { scrollWheelZoom: false, attributionControl: false, zoomControl: false });
  // The controls' tooltips come in the page's language (Leaflet's own are English).
  L.control.zoom({ zoomInTitle: strings.zoomIn || 'Zoom in', zoomOutTitle: strings.zoomOut || 'Zoom out' }).addTo(map);
  new L.Control.FullScreen({ position: 'topleft', title: strings.fullscreen || 'Full screen', titleCancel: strings.fullscreenExit || 'Exit full screen' }).addTo(map);
  const features = data.boundaryIds.map((id) => boundaries.results[id]).filter(Boolean);
  const fill = (id) => {
    const entry = data.mapData[id];
    return entry ? data.colours[entry.category] ?? data.noDataColour : data.noDataColour;
  };
  const info = box(L, 'topright', 'map-info');
  info.addTo(map);
  const describe = (feature) => {
    const entry = data.mapData[feature.id];
    const lines = [Object.assign(document.createElement('strong'), { textContent: feature.properties.name })];
    if (!entry) lines.push(document.createTextNode(strings.noData || '—'));
    else {
      if (entry.average !== undefined) lines.push(document.createTextNode(`${strings.average || ''} ${entry.average}`.trim()));
      lines.push(document.createTextNode(entry.category));
    }
    info.getContainer().replaceChildren(...lines.flatMap((line, i) => (i ? [document.createElement('br'), line] : [line])));
  };
  info.getContainer().textContent = strings.hover || '';
  const layer = L.geoJSON({ type: 'FeatureCollection', features }, {
    style: (feature) => ({ fillColor: fill(feature.id), fillOpacity: 0.8, color: '#ffffff', weight: 1 }),
    onEachFeature: (feature, shape) => shape.on({
      mouseover: () => { shape.setStyle({ weight: 3, color: '#333333' }); describe(feature); },
      mouseout: () => { layer.resetStyle(shape); info.getContainer().textContent = strings.hover || ''; },
    }),
  }).addTo(map);
  const legend = box(L, 'bottomright', 'map-legend');
  legend.addTo(map);
  const entries = [...data.allCategories.map((c) => [c, data.colours[c]]), [strings.noData || '—', data.noDataColour]];
  legend.getContainer().replaceChildren(...entries.map(([label, colour]) => {
    const row = document.createElement('div');
    const swatch = Object.assign(document.createElement('span'), { className: 'map-swatch' });
    swatch.style.background = colour;
    row.append(swatch, document.createTextNode(label));
    return row;
  }));
  const bounds = layer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds);
    map.setMinZoom(map.getZoom());
    map.setMaxBounds(bounds.pad(0.25));
  }
  figure.dataset.drawn = 'true';
  return map;
}

export async function draw(figure) {
  const [L, data, boundaries] = await Promise.all([loadLeaflet(), fetchChartData(figure), loadBoundaries(figure.dataset.boundaries)]);
  renderTable(figure, data.table);
  const pane = figure.closest('.tab-pane');
  if (pane && !pane.classList.contains('active')) {
    // Leaflet needs a visible container to measure: draw when the Map tab is first shown.
    const onShown = (event) => {
      if (event.target.getAttribute('data-bs-target') !== `#${pane.id}`) return;
      document.removeEventListener('shown.bs.tab', onShown);
      drawMap(L, figure, data, boundaries);
    };
    document.addEventListener('shown.bs.tab', onShown);
  } else {
    drawMap(L, figure, data, boundaries);
  }
  done(figure);
}
