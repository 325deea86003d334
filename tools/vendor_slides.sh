#!/usr/bin/env bash
# Fetch the JavaScript the static slide decks need from the npm registry into a git-ignored folder, so that a deck
# references no CDN: reveal.js, MathJax 2 (nbconvert's reveal template calls the MathJax 2 API: MathJax.Hub) and
# jQuery (the template loads it). require.js and the widget renderer come from the book's _vendor (vendor_js.sh).
# Usage: tools/vendor_slides.sh DEST   (`make slides`: DEST = _vendor_slides; tools/make_slides.py copies it
# next to the decks).
set -euo pipefail
dest=${1:-_vendor_slides}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent reveal.js@4.6.1 mathjax@2.7.9 jquery@2.2.4 >/dev/null)
for f in "$tmp"/*.tgz; do mkdir -p "${f%.tgz}" && tar -xzf "$f" -C "${f%.tgz}"; done
rm -rf "$dest"
mkdir -p "$dest/reveal.js/plugin" "$dest/mathjax/jax/output" "$dest/mathjax/fonts/HTML-CSS/TeX" "$dest/jquery"
# reveal.js: the built library, its themes and the speaker-notes plugin (what the template loads).
cp -r "$tmp"/reveal.js-4.6.1/package/dist "$dest/reveal.js/dist"
cp -r "$tmp"/reveal.js-4.6.1/package/plugin/notes "$dest/reveal.js/plugin/notes"
cp "$tmp"/reveal.js-4.6.1/package/LICENSE "$dest/reveal.js/LICENSE"
# MathJax 2.7.9 with the config the template asks for (TeX-AMS_CHTML-full): TeX input, CommonHTML output and its
# web fonts; the unpacked sources, the other configs, output processors, locales and fonts (about 55 MB) are left out.
mj="$tmp"/mathjax-2.7.9/package
cp "$mj"/MathJax.js "$mj"/LICENSE "$dest/mathjax/"
mkdir -p "$dest/mathjax/config" "$dest/mathjax/localization"
cp "$mj"/config/TeX-AMS_CHTML-full.js "$mj"/config/Safe.js "$dest/mathjax/config/"
cp -r "$mj"/config/local "$dest/mathjax/config/"
cp -r "$mj"/extensions "$dest/mathjax/"
cp -r "$mj"/localization/en "$dest/mathjax/localization/"
cp -r "$mj"/jax/input "$mj"/jax/element "$dest/mathjax/jax/"
cp -r "$mj"/jax/output/CommonHTML "$mj"/jax/output/PreviewHTML "$dest/mathjax/jax/output/"
cp -r "$mj"/fonts/HTML-CSS/TeX/woff "$dest/mathjax/fonts/HTML-CSS/TeX/"
cp "$tmp"/jquery-2.2.4/package/dist/jquery.min.js "$tmp"/jquery-2.2.4/package/LICENSE.txt "$dest/jquery/"
# The folder ignores itself, so no shared .gitignore needs an entry for it.
printf '*\n' > "$dest/.gitignore"
touch "$dest/.complete"
echo "vendored reveal.js 4.6.1, MathJax 2.7.9 (TeX, CommonHTML) and jQuery 2.2.4 into $dest ($(du -sh "$dest" | cut -f1))"
