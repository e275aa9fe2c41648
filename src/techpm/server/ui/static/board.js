// The board: a card dragged to another column (or moved with its select, by keyboard) is a
// status change sent with If-Match; the server records it in the item's status history.
(function () {
  "use strict";
  const board = document.getElementById("board");
  if (!board || board.dataset.editable !== "true") return;
  const api = "/api/v1/projects/" + encodeURIComponent(board.dataset.project) + "/items/";
  const status = document.getElementById("board-status");

  function recount() {
    board.querySelectorAll(".column").forEach((column) => {
      column.querySelector("[data-count]").textContent = column.querySelectorAll(".card-item").length;
    });
  }

  async function move(card, state, undo) {
    const answer = await fetch(api + encodeURIComponent(card.dataset.itemId), {
      method: "PATCH",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": board.dataset.csrf, "If-Match": '"' + card.dataset.version + '"' },
      body: JSON.stringify({ status: state }),
    });
    const body = await answer.json();
    if (!answer.ok) {
      undo();
      status.textContent = answer.status === 412
        ? "Someone changed " + card.dataset.itemId + " meanwhile; reload to see it."
        : (body.detail || "refused: " + answer.status);
      return;
    }
    card.dataset.version = String(body.version);
    const select = card.querySelector("[data-move]");
    if (select) select.value = state;
    status.textContent = card.dataset.itemId + " moved to " + state + ".";
    recount();
  }

  board.querySelectorAll(".cards").forEach((list) => {
    Sortable.create(list, {
      group: "board",
      animation: 120,
      forceFallback: true, // mouse and touch events, the same in every browser
      onEnd: (event) => {
        if (event.from === event.to) return;
        const card = event.item;
        const back = () => { event.from.insertBefore(card, event.from.children[event.oldIndex] || null); recount(); };
        move(card, event.to.dataset.state, back);
      },
    });
  });

  board.addEventListener("change", (event) => {
    const select = event.target.closest("[data-move]");
    if (!select) return;
    const card = select.closest(".card-item");
    const from = card.parentElement;
    const to = board.querySelector('.cards[data-state="' + CSS.escape(select.value) + '"]');
    to.appendChild(card);
    move(card, select.value, () => { from.appendChild(card); recount(); });
  });
})();
