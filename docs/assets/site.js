// Site-wide behaviour, attached through Material's document$ so that it
// survives instant navigation: the «Скопировать ссылку» buttons on /support/.
/* global document$ */

/** Copy text to the clipboard, with a fallback for non-secure contexts. */
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy failed");
}

function liveRegion() {
  let region = document.getElementById("copy-status");
  if (!region) {
    region = document.createElement("div");
    region.id = "copy-status";
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    document.body.append(region);
  }
  return region;
}

function attachCopyButtons() {
  for (const button of document.querySelectorAll("button.copy-link:is([data-copy], [data-copy-from])")) {
    if (button.dataset.bound) continue;
    button.dataset.bound = "1";
    button.addEventListener("click", async () => {
      const message = button.dataset.copyFrom !== undefined;
      const value = message
        ? document.getElementById(button.dataset.copyFrom).textContent
        : new URL(button.dataset.copy, window.location.href).href;
      const label = button.textContent;
      let status;
      try {
        await copyText(value);
        status = message ? "Сообщение скопировано" : "Ссылка скопирована";
        button.textContent = "Скопировано ✓";
        button.classList.add("copy-link--done");
      } catch {
        status = message
          ? "Не удалось скопировать. Выделите текст сообщения и скопируйте его вручную."
          : "Не удалось скопировать. Выделите адрес под ссылкой и скопируйте его вручную.";
        button.textContent = "Не удалось";
      }
      liveRegion().textContent = status;
      setTimeout(() => {
        button.textContent = label;
        button.classList.remove("copy-link--done");
      }, 2000);
    });
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
  attachCopyButtons();
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
