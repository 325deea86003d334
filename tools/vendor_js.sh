#!/usr/bin/env bash
# Fetch the JavaScript the built book needs (MathJax, require.js, the ipywidgets renderer) from the npm registry
# into a git-ignored folder, so that the HTML references no CDN. Usage: tools/vendor_js.sh DEST
set -euo pipefail
dest=${1:-_vendor}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent mathjax@3.2.2 requirejs@2.3.8 @jupyter-widgets/html-manager@1.0.15 >/dev/null)
rm -rf "$dest"
mkdir -p "$dest/vendor/html-manager"
for f in "$tmp"/*.tgz; do mkdir -p "${f%.tgz}" && tar -xzf "$f" -C "${f%.tgz}"; done
cp -r "$tmp"/mathjax-3.2.2/package/es5 "$dest/mathjax"
cp "$tmp"/requirejs-2.3.8/package/require.js "$dest/vendor/require.js"
cp -r "$tmp"/jupyter-widgets-html-manager-1.0.15/package/dist/. "$dest/vendor/html-manager/"
touch "$dest/.complete"
echo "vendored MathJax, require.js and @jupyter-widgets/html-manager into $dest"
