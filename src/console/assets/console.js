// The console's only script: live parts refresh themselves, a broadcast shows its audience's
// size, and dangerous forms ask first.
// Pages work without it (figures are rendered by the server; forms post normally).

document.addEventListener("DOMContentLoaded", () => {
  for (const live of document.querySelectorAll("[data-refresh]")) {
    setInterval(async () => {
      try {
        const res = await fetch(live.dataset.refresh, { credentials: "same-origin", headers: { Accept: "text/html" } });
        if (res.redirected || res.status === 401) return location.assign("/admin/login");
        if (res.ok) live.innerHTML = await res.text();
      } catch {
        // Offline for a moment: the next tick tries again.
      }
    }, Number(live.dataset.interval) || 15000);
  }
  // A broadcast's audience size, shown as soon as the audience or platform changes.
  for (const form of document.querySelectorAll("form[data-size]")) {
    const out = form.querySelector("[data-size-out]");
    const update = async () => {
      const query = new URLSearchParams({ audience: form.elements.audience.value, platform: form.elements.platform.value });
      const res = await fetch(`${form.dataset.size}?${query}`, { credentials: "same-origin" });
      if (res.ok) out.textContent = (await res.json()).text;
    };
    form.addEventListener("change", (event) => {
      if (["audience", "platform"].includes(event.target.name)) void update();
    });
    void update();
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
});
