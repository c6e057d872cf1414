// The results table's DOM helpers. The painter writes a page into the rows in one call
// (search/rows.rs): one string for every value, instead of one call and one UTF-8
// decoding per value.

// `slots[i]` is an element, `names[i]` what of it slot i is: null for its text, '.name'
// for a class it has or not, otherwise an attribute. `changed` lists the slots to write,
// `lengths` each value's length in UTF-16 units within `values` (0xFFFFFFFF: no value,
// that is no text, no attribute, no class).
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
    } else if (value === null) {
      element.removeAttribute(name);
    } else {
      element.setAttribute(name, value);
    }
  }
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
