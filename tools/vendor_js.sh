#!/usr/bin/env bash
# Fetch the JavaScript the built book needs (MathJax, require.js, the ipywidgets renderer) from the npm registry
# into a git-ignored folder, so that the HTML references no CDN. Usage: tools/vendor_js.sh DEST
# The browser tests' accessibility checker, axe-core, goes to DEST/tests/: a test tool, never published (the book's
# exclude_patterns list `tests`, which also keeps that folder out of html_static_path's copy).
set -euo pipefail
dest=${1:-_vendor}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent mathjax@3.2.2 requirejs@2.3.8 @jupyter-widgets/html-manager@1.0.15 \
  axe-core@4.14.1 >/dev/null)
rm -rf "$dest"
mkdir -p "$dest/vendor/html-manager" "$dest/tests"
for f in "$tmp"/*.tgz; do mkdir -p "${f%.tgz}" && tar -xzf "$f" -C "${f%.tgz}"; done
cp -r "$tmp"/mathjax-3.2.2/package/es5 "$dest/mathjax"
cp "$tmp"/requirejs-2.3.8/package/require.js "$dest/vendor/require.js"
cp -r "$tmp"/jupyter-widgets-html-manager-1.0.15/package/dist/. "$dest/vendor/html-manager/"
cp "$tmp"/axe-core-4.14.1/package/axe.min.js "$dest/tests/axe.min.js"
touch "$dest/.complete"
echo "vendored MathJax, require.js and @jupyter-widgets/html-manager into $dest (axe-core, for the tests: $dest/tests)"
