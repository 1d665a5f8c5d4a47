#!/usr/bin/env bash
# Installs what the tests drive besides the .NET SDK, on Debian (as root for the apt part):
#   - Debian's Jupyter client (nbclient, jupyter_client, nbconvert) and nbformat, which execute and validate notebooks;
#   - headless Chromium, which checks that the HTML pages draw their plots and formulas;
#   - Debian's onnx, whose checker one test runs on an exported ONNX model;
#   - the final .NET Interactive kernel (pinned, as a local tool in .tools/) and the course's own kernel (nbcnn kernel,
#     built from this checkout), registered in a private Jupyter folder, .tools/jupyter/kernels, so nothing outside
#     the repository changes.
# Safe to run again: what is already there is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v jupyter-nbconvert >/dev/null 2>&1 || need+=(jupyter-nbconvert)
/usr/bin/python3 -c "import nbformat" >/dev/null 2>&1 || need+=(python3-nbformat)
/usr/bin/python3 -c "import nbclient" >/dev/null 2>&1 || need+=(python3-nbclient)
/usr/bin/python3 -c "import jupyter_client" >/dev/null 2>&1 || need+=(python3-jupyter-client)
/usr/bin/python3 -c "import onnx" >/dev/null 2>&1 || need+=(python3-onnx)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The .NET Interactive kernel students' editors run: its final release, 1.0.712001.
tools="$root/.tools"
kernels="$tools/jupyter/kernels"
mkdir -p "$kernels"
if [ ! -x "$tools/dotnet-interactive/dotnet-interactive" ]; then
  dotnet tool install --tool-path "$tools/dotnet-interactive" Microsoft.dotnet-interactive --version 1.0.712001 >/dev/null
fi
"$tools/dotnet-interactive/dotnet-interactive" jupyter install --path "$kernels" >/dev/null
# Its kernelspec starts `dotnet interactive`, which finds only a global tool: point it at the local one.
/usr/bin/python3 - "$kernels/.net-csharp/kernel.json" "$tools/dotnet-interactive/dotnet-interactive" <<'PY'
import json, sys
spec_path, tool = sys.argv[1], sys.argv[2]
spec = json.load(open(spec_path))
if spec["argv"][:2] == ["dotnet", "interactive"]:
    spec["argv"] = [tool] + spec["argv"][2:]
json.dump(spec, open(spec_path, "w"), indent=2)
PY

# The course's own kernel, nbcnn, from this checkout's Release build of the runner (which builds the library too).
log=$(mktemp)
dotnet build src/NotebookCnn.Runner -c Release -v quiet -nologo >"$log" 2>&1 || { cat "$log"; exit 1; }
rm -f "$log"
dotnet src/NotebookCnn.Runner/bin/Release/net10.0/nbcnn.dll kernel install --path "$kernels" >/dev/null
echo "tools ready: Jupyter kernels in $kernels: $(ls -A "$kernels" | tr '\n' ' ')"
