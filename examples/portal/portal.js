// The portal's side of the embedding: a session that knows the operator's token, event
// listeners, and a dynamic import() of the console (what micro-frontend loaders need).
const portalSession = {
  // A real portal would ask its own backend; the demo sandbox accepts `demo-token`.
  token: () => sessionStorage.getItem('portalToken') || 'demo-token',
};

// Asked before every request; may return a Promise.
const getToken = () => new Promise((resolve) => setTimeout(() => resolve(portalSession.token()), 5));
document.querySelector('op-chat-search').getToken = getToken;

// The sidebar's console, made when the sidebar is first opened: its own `id` keeps its
// remembered settings apart, and it leaves the address to the main console.
document.getElementById('quick-search').addEventListener('toggle', (event) => {
  const slot = document.getElementById('sidebar-slot');
  if (!event.target.open || slot.firstChild) return;
  const sidebar = document.createElement('op-chat-search');
  Object.assign(sidebar, { id: 'sidebar-console', getToken });
  for (const [name, value] of [['locale', 'en'], ['api-base', '/op/v2'], ['url-sync', 'none']]) sidebar.setAttribute(name, value);
  slot.append(sidebar);
});

window.portalEvents = [];
const log = document.getElementById('event-log');
for (const name of ['op-chat-open', 'op-search', 'op-auth-expired', 'op-error']) {
  document.addEventListener(name, (event) => {
    window.portalEvents.push({ name, detail: event.detail });
    const row = log.insertRow(0);
    row.insertCell().textContent = name;
    row.insertCell().textContent = JSON.stringify(event.detail);
  });
}

await import('/op-console.js');
