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
# Only what the template commits: no node_modules, .wrangler or dist of a local run.
(cd "$root/templates/starter" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/starter")
cd "$work/starter"

echo "install the tarball"
npm install --no-audit --no-fund "$tarball"
npm install --no-audit --no-fund

echo "typecheck, test, bundle"
npm run typecheck
npm test
npx wrangler deploy --dry-run --outdir dist
