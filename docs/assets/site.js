// Site-wide behaviour, attached through Material's document$ so that it
// survives instant navigation.

/** Material's clipboard copies for the «Скопировать» buttons (data-clipboard-target)
 * and says «Скопировано в буфер» in its toast; the toast becomes a status region here,
 * so a screen reader hears it too. */
function announceToasts() {
  const dialog = document.querySelector("[data-md-component=dialog]");
  if (dialog) {
    dialog.setAttribute("role", "status");
    dialog.setAttribute("aria-live", "polite");
  }
}

// Material's navigation.tracking writes the section in view into the address bar
// 250 ms after the scrolling stops. Instant navigation changes the address first
// and fetches the page after, so a link tapped within those 250 ms got the old
// page's section written onto its own address (simulator/?step=x#step-x). A
// section is written only while the address names the page on screen.
let shown = null; // the path of the page on screen, from document$
const replaceState = history.replaceState.bind(history);
history.replaceState = (state, unused, url) => {
  if (shown !== null && url != null) {
    const next = new URL(url, location.href);
    if (next.hash && next.pathname !== shown) return undefined;
  }
  return replaceState(state, unused, url);
};

/** The support page's addresses as this page resolves them: right on any host. */
function showAddresses() {
  for (const address of document.querySelectorAll(".support-address[data-href]"))
    address.textContent = new URL(address.dataset.href, window.location.href).href;
}

document$.subscribe(() => {
  shown = location.pathname;
  showAddresses();
  announceToasts();
});

// Material searches on `keyup` only, so a query pasted from a phone's menu,
// dictated, or typed through an input method that sends no key events found
// nothing until the next key press. Any input to the search box now counts as a
// key event (Material drops a value it has already searched, so typing is
// unchanged). Delegated from the document: it survives instant navigation.
document.addEventListener("input", (event) => {
  const box = event.target;
  if (box instanceof HTMLInputElement && box.matches("[data-md-component=search-query]"))
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
});
