// The results table's DOM helpers. The painter writes a page into the rows in one call
// (search/rows.rs): one string for every value, instead of one call and one UTF-8
// decoding per value.

// `slots[i]` is an element, `names[i]` what of it slot i is: null for its text, '.name'
// for a class it has or not, '@src' for an image's address (see `watch_images`),
// otherwise an attribute. `changed` lists the slots to write, `lengths` each value's length
// in UTF-16 units within `values` (0xFFFFFFFF: no value, that is no text, no attribute, no
// class).
export function write_slots(slots, names, changed, lengths, values) {
  let at = 0;
  for (let i = 0; i < changed.length; i++) {
    const slot = changed[i];
    const element = slots[slot];
    const name = names[slot];
    const length = lengths[i];
    const value = length === 0xffffffff ? null : values.slice(at, (at += length));
    if (name === null) {
      // Rewriting the text node in place is cheaper than replacing it (textContent).
      const text = element.firstChild;
      if (text !== null && text === element.lastChild && text.nodeType === Node.TEXT_NODE) {
        text.data = value ?? '';
      } else {
        element.textContent = value ?? '';
      }
    } else if (name.startsWith('.')) {
      element.classList.toggle(name.slice(1), value !== null);
    } else if (name === '@src') {
      write_src(element, value);
    } else if (value === null) {
      element.removeAttribute(name);
    } else {
      element.setAttribute(name, value);
    }
  }
}

// Setting an image's `src` starts the browser's image machinery even for `loading="lazy"`:
// it was a third of a 500-row flip's script time (12 of 38 ms). A row out of view, whose
// contents `content-visibility: auto` skips, keeps its avatar's address aside instead, and
// the image gets it when the row is about to be drawn (`contentvisibilityautostatechange`,
// which also says, once, whether a new row is drawn). A row that has not been told within
// a second gets its addresses anyway: a browser without the event, or a layout that drops
// `content-visibility`, shows every avatar, as before.
const SKIPPED = Symbol('row skipped');
const PENDING_SRC = Symbol('pending src');
const KNOWS_SKIPPING = typeof ContentVisibilityAutoStateChangeEvent === 'function';
let untold = null;

const ROW = Symbol('row');

function write_src(image, value) {
  // An image stays in the row it was built in: looked up once (`closest` was 0.2 ms a flip).
  const row = (image[ROW] ??= image.closest('[data-row]'));
  const skipped = row === null ? false : (row[SKIPPED] ?? (KNOWS_SKIPPING ? undefined : false));
  if (skipped === false) {
    delete image[PENDING_SRC];
    set_src(image, value);
    return;
  }
  image[PENDING_SRC] = value;
  if (skipped === undefined) {
    untold ??= new Set();
    if (untold.size === 0) setTimeout(() => { untold.forEach(show_images); untold.clear(); }, 1000);
    untold.add(row);
  }
}

// A new address is a fresh try: the image shows again (a failed load hides it); none
// hides it, and the initial shows.
function set_src(image, value) {
  if (value === null) {
    image.removeAttribute('src');
  } else {
    image.setAttribute('src', value);
  }
  if (image.hidden !== (value === null)) image.hidden = value === null;
}

function show_images(row) {
  for (const image of row.querySelectorAll('img')) {
    if (PENDING_SRC in image) {
      set_src(image, image[PENDING_SRC]);
      delete image[PENDING_SRC];
    }
  }
}

// Watches the avatars of the rows in `body`: an image gets its address when its row is
// drawn, and hides itself when it fails to load (its initial shows instead, until the row
// shows another address: `set_src`). One listener each for the whole table, in JS: a
// listener per row was a closure per row, and a call into wasm per failed image.
export function watch_images(body) {
  body.addEventListener(
    'contentvisibilityautostatechange',
    (event) => {
      const row = event.target;
      row[SKIPPED] = event.skipped;
      untold?.delete(row);
      if (!event.skipped) show_images(row);
    },
    // Whether it bubbles is not specified everywhere; capturing sees it either way.
    { capture: true },
  );
  body.addEventListener(
    'error',
    (event) => {
      if (event.target instanceof HTMLImageElement) event.target.hidden = true;
    },
    // A load error does not bubble.
    { capture: true },
  );
}

// Whether `element` is in the window, kept by an IntersectionObserver: asking the layout
// (getBoundingClientRect) right after a page of rows is written would force it at once.
export function watch_in_view(element) {
  const watch = { in_view: true };
  watch.observer = new IntersectionObserver((entries) => {
    watch.in_view = entries[entries.length - 1].isIntersecting;
  });
  watch.observer.observe(element);
  return watch;
}

export function is_in_view(watch) {
  return watch.in_view;
}

export function stop_watching(watch) {
  watch.observer.disconnect();
}
