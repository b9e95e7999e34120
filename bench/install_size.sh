#!/usr/bin/env bash
# The base install (no extras) in a fresh virtualenv: its size on disk, whether torch came with it, and a
# prediction with a shipped model. Usage: bash bench/install_size.sh  (from the repository root)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --upgrade pip
start=$(date +%s)
"$tmp/venv/bin/pip" install --quiet "$root"
end=$(date +%s)
size=$(du -sm "$tmp/venv" | cut -f1)
pip_only=$(du -sm "$tmp/venv/lib/python3"*/site-packages/pip | cut -f1)
echo "install: $((end - start)) s; venv: ${size} MB (pip itself: ${pip_only} MB)"
echo "largest packages (MB):"
du -sm "$tmp/venv/lib/python3"*/site-packages/* | sort -rn | head -8
if "$tmp/venv/bin/python" -c "import torch" 2>/dev/null; then echo "torch: installed"; else echo "torch: not installed"; fi
cd "$tmp"
"$tmp/venv/bin/tinylab" --version
"$tmp/venv/bin/tinylab" predict semantic-types 192.168.1.1 hello@example.com
"$tmp/venv/bin/tinylab" predict word-rarity --model-only the zyzzogetonqx
# without their extras these say which install they need (one line, exit 2)
"$tmp/venv/bin/tinylab" predict word-rarity the || true
"$tmp/venv/bin/tinylab" eval semantic-types || true
"$tmp/venv/bin/tinylab" profile "$root/README.md" || true
