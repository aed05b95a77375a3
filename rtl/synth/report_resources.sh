#!/usr/bin/env bash
# Synthesizes one rtl/ module for AMD/Xilinx UltraScale+ with Yosys (synth_xilinx -family xcup,
# flattened, no I/O buffers) and prints its resource counts, parsed from Yosys `stat`:
#   rtl/synth/report_resources.sh [TOP [PARAM=VALUE ...]]   (TOP defaults to fp32_mul)
# e.g. rtl/synth/report_resources.sh llama_kernel MAC_LANES=32 SPM_WORDS=16384
# LUT counts LUT1..LUT6 (logic), SRL counts LUTs used as shift registers, FF counts
# FDRE/FDSE/FDCE/FDPE, DSP counts DSP48E2, BRAM counts RAMB36E2 + RAMB18E2 (RAMB18 as halves).
# Exits non-zero if Yosys rejects the design. YOSYS overrides the yosys binary.
set -euo pipefail

top="${1:-fp32_mul}"
shift || true
chparams=""
for assignment in "$@"; do
  if [[ ! "$assignment" =~ ^[A-Z_][A-Z0-9_]*=[0-9]+$ ]]; then
    echo "report_resources.sh: parameter '$assignment' is not NAME=INTEGER" >&2
    exit 2
  fi
  chparams+="chparam -set ${assignment%%=*} ${assignment#*=} $top; "
done
rtl_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
yosys_bin="${YOSYS:-yosys}"

if [ ! -f "$rtl_dir/$top.sv" ]; then
  echo "report_resources.sh: no module file $rtl_dir/$top.sv" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Only TOP's file is read; the submodules it instantiates are loaded from rtl/<module>.sv.
if ! "$yosys_bin" -q -l "$work/yosys.log" \
    -p "verilog_defaults -add -I$rtl_dir; read_verilog -sv $rtl_dir/$top.sv; $chparams
        hierarchy -libdir $rtl_dir -top $top;
        synth_xilinx -family xcup -flatten -noiopad -top $top; tee -q -o $work/stat.txt stat" \
    >/dev/null 2>&1; then
  echo "report_resources.sh: yosys failed on $top; last lines of its log:" >&2
  tail -n 20 "$work/yosys.log" >&2
  exit 1
fi

# Sum the cell counts of the `stat` lines whose cell name matches an extended regex.
count() {
  awk -v re="^($1)\$" '$1 ~ re && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' "$work/stat.txt"
}

lut=$(count 'LUT[1-6]')
srl=$(count 'SRL16E|SRLC32E')
ff=$(count 'FDRE|FDSE|FDCE|FDPE')
dsp=$(count 'DSP48E2')
ramb36=$(count 'RAMB36E2')
ramb18=$(count 'RAMB18E2')
carry=$(count 'CARRY4|CARRY8')

echo "module: $top${*:+ ($*)} (yosys synth_xilinx -family xcup)"
echo "LUT: $lut"
echo "SRL: $srl"
echo "FF: $ff"
echo "DSP: $dsp"
echo "BRAM: $(awk -v a="$ramb36" -v b="$ramb18" 'BEGIN { printf "%g", a + b / 2 }') (RAMB36E2 $ramb36, RAMB18E2 $ramb18)"
echo "CARRY: $carry"
