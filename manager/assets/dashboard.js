// Plaza dashboard: patches floor tiles from the server's event stream.
// Everything works without this file; a reload then shows the truth.
"use strict";

(function () {
  const tiles = document.querySelectorAll("[data-kiosk]");
  if (tiles.length === 0 || !window.EventSource) {
    return;
  }
  const byId = new Map();
  tiles.forEach((tile) => byId.set(tile.dataset.kiosk, tile));

  const source = new EventSource("/dashboard/floor/events");
  source.addEventListener("tiles", (event) => {
    for (const update of JSON.parse(event.data)) {
      const tile = byId.get(update.id);
      if (!tile) {
        continue;
      }
      tile.className = "tile state-" + update.state + (update.unhealthy ? " unhealthy" : "");
      tile.dataset.state = update.state;
      tile.querySelector('[data-field="label"]').textContent = update.label;
      tile.querySelector('[data-field="time_left"]').textContent = update.time_left;
      tile.querySelector('[data-field="heartbeat_age"]').textContent = update.heartbeat_age;
      const alerts = tile.querySelector('[data-field="alerts"]');
      alerts.replaceChildren(...update.alerts.map((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }));
    }
    document.body.dataset.live = "yes";
  });
})();
