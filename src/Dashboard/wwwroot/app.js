// Small helpers the dashboard calls through JS interop, and the live-state watcher. No inline scripts (the CSP forbids them).
window.cutover = {
    setTheme: function (value) {
        document.cookie = "cutover.theme=" + encodeURIComponent(value) + "; path=/; max-age=31536000; samesite=strict";
    },
    copyText: async function (text) {
        await navigator.clipboard.writeText(text);
        return true;
    }
};

// Blazor toggles classes on #components-reconnect-modal while the circuit's connection is down. They become
// <html data-live="live|reconnecting|offline">, which app.css uses to grey every live mark and status badge.
(function () {
    function watch() {
        var modal = document.getElementById("components-reconnect-modal");
        if (!modal) return;
        var root = document.documentElement;
        root.dataset.live = "live";
        function update() {
            var c = modal.classList;
            root.dataset.live = c.contains("components-reconnect-failed") || c.contains("components-reconnect-rejected") ? "offline"
                : c.contains("components-reconnect-show") || c.contains("components-reconnect-retrying") ? "reconnecting"
                : "live";
        }
        new MutationObserver(update).observe(modal, { attributes: true, attributeFilter: ["class"] });
        update();
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch); else watch();
})();
