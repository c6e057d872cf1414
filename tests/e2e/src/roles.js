// Finds visible elements by ARIA role and accessible name, in the document and in every
// open shadow root (the console may be embedded as a custom element).
// arguments[0]: role such as "button", or null for any element that has the name.
// arguments[1]: accessible name, matched exactly after collapsing whitespace, or null for any.
// A simplified version of the accname rules: aria-labelledby, aria-label, <label>, button
// value, img alt, text content (for roles named by their content), title, placeholder.
const [role, name] = arguments;
const IMPLICIT = {
  button: 'button, input[type=button], input[type=submit], input[type=reset]',
  link: 'a[href]',
  textbox: 'input:not([type]), input[type=text], input[type=email], input[type=tel], input[type=url], textarea',
  searchbox: 'input[type=search]',
  combobox: 'select:not([multiple])',
  listbox: 'select[multiple]',
  option: 'option',
  checkbox: 'input[type=checkbox]',
  radio: 'input[type=radio]',
  heading: 'h1, h2, h3, h4, h5, h6',
  form: 'form',
  table: 'table',
  figure: 'figure',
  row: 'tr',
  columnheader: 'th',
  cell: 'td',
  dialog: 'dialog',
  navigation: 'nav',
  main: 'main',
  list: 'ul, ol',
  listitem: 'li',
  img: 'img',
  status: 'output',
  region: 'section[aria-label], section[aria-labelledby]',
};
const NAMED_BY_CONTENT = new Set(['button', 'link', 'heading', 'columnheader', 'cell', 'row',
  'option', 'tab', 'menuitem', 'listitem', 'status']);
const collapse = (s) => (s || '').replace(/\s+/g, ' ').trim();
const text = (el) => collapse(el.textContent);

function roleOf(el) {
  const explicit = el.getAttribute('role');
  if (explicit) return explicit.split(/\s+/)[0];
  for (const [r, selector] of Object.entries(IMPLICIT)) if (el.matches(selector)) return r;
  return null;
}

function nameOf(el, r) {
  const ids = el.getAttribute('aria-labelledby');
  if (ids) {
    const root = el.getRootNode();
    return collapse(ids.split(/\s+/).map((id) => root.getElementById(id)).filter(Boolean).map(text).join(' '));
  }
  if (collapse(el.getAttribute('aria-label'))) return collapse(el.getAttribute('aria-label'));
  if (el.labels && el.labels.length) return collapse(Array.from(el.labels).map(text).join(' '));
  if (el.matches('input[type=button], input[type=submit], input[type=reset]')) return collapse(el.value);
  if (el.matches('img')) return collapse(el.alt);
  if (NAMED_BY_CONTENT.has(r)) return text(el);
  return collapse(el.getAttribute('title') || el.getAttribute('placeholder'));
}

function* elements(root) {
  for (const el of root.querySelectorAll('*')) {
    yield el;
    if (el.shadowRoot) yield* elements(el.shadowRoot);
  }
}

const wanted = name === null ? null : collapse(name);
const found = [];
for (const el of elements(document)) {
  const r = roleOf(el);
  if (role !== null && r !== role) continue;
  if (!el.checkVisibility()) continue;
  const n = nameOf(el, r);
  if (wanted === null ? role !== null || n !== '' : n === wanted) found.push(el);
}
return found;
