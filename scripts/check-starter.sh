#!/usr/bin/env bash
# The starter against the package as users get it: packs this repository, installs the
# tarball into a copy of templates/starter (outside the repo, so nothing resolves to the
# checkout), then runs the starter's type check, tests and deploy bundle.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/triggerflare-starter.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "pack"
(cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/triggerflare-*.tgz)"

echo "copy the starter to $work/starter"
mkdir "$work/starter"
# Only the template itself: not what a local run of it left behind.
tar -C "$root/templates/starter" --exclude=./node_modules --exclude=./.wrangler --exclude=./dist \
  --exclude=./package-lock.json --exclude=./.dev.vars -cf - . | tar -C "$work/starter" -xf -
cd "$work/starter"

echo "install the tarball"
npm install --no-audit --no-fund "$tarball"
npm install --no-audit --no-fund

echo "typecheck, test, bundle"
npm run typecheck
npm test
npx wrangler deploy --dry-run --outdir dist
