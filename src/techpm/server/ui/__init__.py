"""The web app: server-rendered pages over the same services as the API, signed in by the
browser session cookie. `pages` lists the page routers; `static/` holds its own style and
script, and `static/vendor/` what `make` copies from the npm packages (git-ignored)."""
