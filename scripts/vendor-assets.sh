#!/usr/bin/env bash
# Re-vendor the front-end assets from the npm registry into harbour/static/vendor/.
# The built files are committed: Harbour must run on networks with no internet at all.
# Run by hand when upgrading; `make run` and CI never call this.
set -euo pipefail
USWDS=${USWDS:-3.14.0}
HTMX=${HTMX:-4.0.1}
top=$(cd "$(dirname "$0")/.." && pwd)
dest="$top/harbour/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@uswds/uswds@$USWDS" "htmx.org@$HTMX" >/dev/null
mkdir uswds htmx
tar xzf uswds-uswds-"$USWDS".tgz -C uswds
tar xzf htmx.org-"$HTMX".tgz -C htmx
rm -rf "$dest" && mkdir -p "$dest/uswds/css" "$dest/uswds/js" "$dest/uswds/fonts" "$dest/uswds/img" "$dest/htmx"
src=uswds/package/dist
# Strip source-map comments: the maps are not shipped.
sed -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$src/css/uswds.min.css" >"$dest/uswds/css/uswds.min.css"
sed -e 's#^//\# sourceMappingURL=.*$##' "$src/js/uswds.min.js" >"$dest/uswds/js/uswds.min.js"
sed -e 's#^//\# sourceMappingURL=.*$##' "$src/js/uswds-init.min.js" >"$dest/uswds/js/uswds-init.min.js"
for family in public-sans merriweather roboto-mono source-sans-pro; do
  mkdir -p "$dest/uswds/fonts/$family"
  cp "$src/fonts/$family"/*.woff2 "$dest/uswds/fonts/$family/"
done
# Only the images the stylesheet refers to, plus the icon sprite.
grep -o 'url(\.\./img/[^)]*)' "$src/css/uswds.min.css" | sed 's#url(\.\./img/##; s#)$##' | sort -u |
  while read -r f; do mkdir -p "$dest/uswds/img/$(dirname "$f")"; cp "$src/img/$f" "$dest/uswds/img/$f"; done
cp "$src/img/sprite.svg" "$dest/uswds/img/"
cp uswds/package/LICENSE.md "$dest/uswds/LICENSE.md"
sed -e 's#^//\# sourceMappingURL=.*$##' htmx/package/dist/htmx.min.js >"$dest/htmx/htmx.min.js"
cp htmx/package/LICENSE "$dest/htmx/LICENSE"
echo "vendored USWDS $USWDS and htmx $HTMX into $dest"
