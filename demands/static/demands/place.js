/* The place of a demand: "use my location" fills the latitude and longitude boxes
   from the browser (navigator.geolocation); where the deployment provides map tiles
   (SANFU_MAP_TILE_URL), a small map sets the point by a click or a tap. Without
   JavaScript, or without a map, the address fields work as they are. */
(function () {
  "use strict";
  var TILE = 256;

  function worldPixel(lat, lon, zoom) {
    var size = TILE * Math.pow(2, zoom);
    var rad = (lat * Math.PI) / 180;
    return {
      x: ((lon + 180) / 360) * size,
      y: ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * size,
    };
  }

  function pixelToPoint(x, y, zoom) {
    var size = TILE * Math.pow(2, zoom);
    var n = Math.PI - (2 * Math.PI * y) / size;
    return {
      lat: (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n))),
      lon: (x / size) * 360 - 180,
    };
  }

  function setUpMap(map, onPick) {
    var template = map.getAttribute("data-tiles");
    var center = map.getAttribute("data-center").split(",").map(Number);
    var view = { lat: center[0], lon: center[1], zoom: Number(map.getAttribute("data-zoom")) };
    var marker = null;
    var tiles = document.createElement("div");
    tiles.className = "place-map-tiles";
    map.appendChild(tiles);

    function draw() {
      tiles.textContent = "";
      var width = map.clientWidth, height = map.clientHeight;
      var c = worldPixel(view.lat, view.lon, view.zoom);
      var left = c.x - width / 2, top = c.y - height / 2;
      var count = Math.pow(2, view.zoom);
      for (var tx = Math.floor(left / TILE); tx * TILE < left + width; tx++) {
        for (var ty = Math.floor(top / TILE); ty * TILE < top + height; ty++) {
          if (ty < 0 || ty >= count) continue;
          var img = document.createElement("img");
          img.alt = "";
          img.src = template.replace("{z}", view.zoom)
            .replace("{x}", ((tx % count) + count) % count).replace("{y}", ty);
          img.style.left = tx * TILE - left + "px";
          img.style.top = ty * TILE - top + "px";
          tiles.appendChild(img);
        }
      }
      if (marker) {
        var m = worldPixel(marker.lat, marker.lon, view.zoom);
        var pin = document.createElement("span");
        pin.className = "place-map-pin";
        pin.style.left = m.x - left + "px";
        pin.style.top = m.y - top + "px";
        tiles.appendChild(pin);
      }
    }

    var start = null;
    map.addEventListener("pointerdown", function (event) {
      start = { x: event.clientX, y: event.clientY, view: Object.assign({}, view) };
    });
    map.addEventListener("pointermove", function (event) {
      if (!start || !event.buttons) return;
      var c = worldPixel(start.view.lat, start.view.lon, view.zoom);
      var p = pixelToPoint(c.x - (event.clientX - start.x), c.y - (event.clientY - start.y), view.zoom);
      view.lat = p.lat; view.lon = p.lon;
      draw();
    });
    map.addEventListener("pointerup", function (event) {
      if (!start) return;
      var moved = Math.abs(event.clientX - start.x) + Math.abs(event.clientY - start.y);
      start = null;
      if (moved > 4) return;
      var box = map.getBoundingClientRect();
      var c = worldPixel(view.lat, view.lon, view.zoom);
      var p = pixelToPoint(c.x - box.width / 2 + (event.clientX - box.left),
                           c.y - box.height / 2 + (event.clientY - box.top), view.zoom);
      marker = p;
      onPick(p.lat, p.lon);
      draw();
    });
    map.querySelectorAll("[data-place-zoom]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.stopPropagation();
        view.zoom = Math.max(3, Math.min(18, view.zoom + Number(button.getAttribute("data-place-zoom"))));
        draw();
      });
      button.addEventListener("pointerdown", function (event) { event.stopPropagation(); });
      button.addEventListener("pointerup", function (event) { event.stopPropagation(); });
    });
    draw();
    return function show(lat, lon) {
      marker = { lat: lat, lon: lon };
      view.lat = lat; view.lon = lon;
      draw();
    };
  }

  document.querySelectorAll("[data-place]").forEach(function (box) {
    var lat = box.querySelector("[data-place-latitude]");
    var lon = box.querySelector("[data-place-longitude]");
    var status = box.querySelector("[data-place-status]");
    var button = box.querySelector("[data-place-locate]");
    var map = box.querySelector("[data-place-map]");
    var show = null;

    function fill(la, lo) {
      lat.value = la.toFixed(6);
      lon.value = lo.toFixed(6);
    }

    if (map) {
      map.hidden = false;
      show = setUpMap(map, fill);
      if (lat.value && lon.value) show(Number(lat.value), Number(lon.value));
    }
    if (!button || !("geolocation" in navigator)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-finding");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          fill(position.coords.latitude, position.coords.longitude);
          if (show) show(position.coords.latitude, position.coords.longitude);
          status.textContent = button.getAttribute("data-found");
        },
        function () {
          status.textContent = button.getAttribute("data-failed");
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  });
})();
