// Progressive enhancement of the public site's server-rendered pages: every page is complete
// without this script. It draws the map of levels (MapLibre, loaded only when a page has a map)
// and offers "use my location" on "Who serves me?".

const mapElement = document.getElementById('map');
if (mapElement) {
  void import('./map.ts').then(({ mountMap }) => mountMap(mapElement));
}

const locate = document.getElementById('use-location');
const form = document.getElementById('point-form');
if (locate instanceof HTMLButtonElement && form instanceof HTMLFormElement && 'geolocation' in navigator) {
  locate.hidden = false;
  locate.addEventListener('click', () => {
    navigator.geolocation.getCurrentPosition((pos) => {
      const lat = form.elements.namedItem('lat');
      const lon = form.elements.namedItem('lon');
      if (lat instanceof HTMLInputElement && lon instanceof HTMLInputElement) {
        lat.value = pos.coords.latitude.toFixed(4);
        lon.value = pos.coords.longitude.toFixed(4);
        form.submit();
      }
    });
  });
}
