// Small helpers the dashboard calls through JS interop. No inline scripts (the CSP forbids them).
window.cutover = {
    setThemeCookie: function (name, value) {
        document.cookie = name + "=" + encodeURIComponent(value) + "; path=/; max-age=31536000; samesite=strict";
    },
    copyText: async function (text) {
        await navigator.clipboard.writeText(text);
        return true;
    }
};
