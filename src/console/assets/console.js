// The console's only script: the dashboard refreshes itself, and dangerous forms ask first.
// Pages work without it (figures are rendered by the server; forms post normally).

document.addEventListener("DOMContentLoaded", () => {
  const live = document.querySelector("[data-refresh]");
  if (live) {
    setInterval(async () => {
      try {
        const res = await fetch(live.dataset.refresh, { credentials: "same-origin", headers: { Accept: "text/html" } });
        if (res.redirected || res.status === 401) return location.assign("/admin/login");
        if (res.ok) live.innerHTML = await res.text();
      } catch {
        // Offline for a moment: the next tick tries again.
      }
    }, 15000);
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
});
