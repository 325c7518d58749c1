// Plaza dashboard, live help: patches the open conversations from the
// server's event stream, keeping answers being written. Everything works
// without this file; a reload then shows the truth.
"use strict";

(function () {
  const list = document.getElementById("help-conversations");
  if (!list || !window.EventSource) {
    return;
  }
  const empty = document.getElementById("no-conversations");
  const fragment = (html) => {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  };

  const source = new EventSource("/dashboard/help/events");
  source.addEventListener("conversations", (event) => {
    const open = new Set();
    for (const update of JSON.parse(event.data)) {
      open.add(update.id);
      const section = list.querySelector('[data-conversation="' + update.id + '"]');
      if (section) {
        section.querySelector('[data-field="transcript"]')
          .replaceChildren(fragment(update.transcript));
      } else {
        list.appendChild(fragment(update.section));
      }
    }
    list.querySelectorAll("[data-conversation]").forEach((section) => {
      if (!open.has(section.dataset.conversation)) {
        section.remove();
      }
    });
    empty.hidden = open.size > 0;
    document.body.dataset.live = "yes";
  });
})();
