// Small keyboard helpers; every page works without this file.
document.addEventListener("keydown", (event) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || "");
  if (event.key === "/" && !typing) {
    const box = document.getElementById("quick-q");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  }
  if (event.key === "Escape" && typing) { document.activeElement.blur(); }
});
// Bring the cited sentence into view and give it the keyboard focus.
window.addEventListener("DOMContentLoaded", () => {
  if (location.hash === "#focus") {
    const target = document.querySelector("span.focus");
    if (target) { target.setAttribute("tabindex", "-1"); target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center" }); }
  }
});
