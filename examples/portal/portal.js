// The portal's side of the embedding: a session that knows the operator's token, event
// listeners, and a dynamic import() of the console (what micro-frontend loaders need).
const portalSession = {
  // A real portal would ask its own backend; the demo sandbox accepts `demo-token`.
  token: () => sessionStorage.getItem('portalToken') || 'demo-token',
};

const element = document.querySelector('op-chat-search');
// Asked before every request; may return a Promise.
element.getToken = () => new Promise((resolve) => setTimeout(() => resolve(portalSession.token()), 5));

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
