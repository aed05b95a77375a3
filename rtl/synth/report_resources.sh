#!/usr/bin/env bash
# Synthesizes one rtl/ module for AMD/Xilinx UltraScale+ with Yosys (synth_xilinx -family xcup,
# flattened, no I/O buffers) and prints its resource counts, parsed from Yosys `stat`:
#   rtl/synth/report_resources.sh [--hierarchy] [TOP [PARAM=VALUE ...]]   (TOP defaults to fp32_mul)
# e.g. rtl/synth/report_resources.sh llama_kernel MAC_LANES=32 SPM_WORDS=16384
# --hierarchy keeps the module hierarchy (no -flatten): each module is mapped once per parameter set
# and `stat -top` multiplies it by its instances, so a kernel of 16 identical GEMV engines costs the
# memory and time of one. No optimization crosses a module boundary, so the counts come out a few
# percent above a flattened run's (stream_copy_kernel: LUT +4%, FF +5%).
# LUT counts LUT1..LUT6 (logic), SRL counts LUTs used as shift registers, LUTRAM the LUTs of
# distributed RAM (RAM32M/RAM32M16/RAM64M/RAM64M8/RAM32X1D/RAM64X1D/RAM128X1D/RAM256X1D/RAM32X1S/
# RAM64X1S, in LUTs), FF counts FDRE/FDSE/FDCE/FDPE, DSP counts DSP48E2, BRAM counts RAMB36E2 +
# RAMB18E2 (RAMB18 as halves), URAM counts URAM288, MUXF counts MUXF7/MUXF8/MUXF9. Each count is
# also printed as a share of the XCU280 (Alveo U280, AMD DS963 table 1) and the XCVU9P (AWS F1,
# AMD DS890 table "Virtex UltraScale+ FPGA Feature Summary"): LUTs 1,303,680 / 1,182,240; FFs
# 2,607,360 / 2,364,480; DSP 9,024 / 6,840; BRAM36 2,016 / 2,160; URAM 960 / 960 (LUTRAM and SRL
# are LUTs too, so the LUT share counts all three). The same totals are models/kernel/fpga_device.cpp's
# table, which the run report checks a design against; tests/test_fpga_device.cpp keeps the two equal.
# Exits non-zero if Yosys rejects the design. YOSYS overrides the yosys binary.
set -euo pipefail

flatten="-flatten"
if [ "${1:-}" = "--hierarchy" ]; then
  flatten=""
  shift
fi
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

# Only the package (rtl/llama_pkg.sv, first: Yosys resolves a package only once it is read) and
# TOP's file are read; the submodules it instantiates are loaded from rtl/<module>.sv. With
# parameters set, hierarchy names the top $paramod$...\TOP: rename -top gives it its name back for
# synth_xilinx -top TOP (without it, "Module `llama_kernel' not found").
if ! "$yosys_bin" -q -l "$work/yosys.log" \
    -p "verilog_defaults -add -I$rtl_dir; read_verilog -sv $rtl_dir/llama_pkg.sv; read_verilog -sv $rtl_dir/$top.sv; $chparams
        hierarchy -libdir $rtl_dir -top $top; rename -top $top;
        synth_xilinx -family xcup $flatten -noiopad -top $top; tee -q -o $work/stat.txt stat -top $top" \
    >/dev/null 2>&1; then
  echo "report_resources.sh: yosys failed on $top; last lines of its log:" >&2
  tail -n 20 "$work/yosys.log" >&2
  exit 1
fi

# With the hierarchy kept, the totals are the section after "design hierarchy" (absent when TOP has
# no submodules).
if grep -q '^=== design hierarchy ===' "$work/stat.txt"; then
  sed -i -n '/^=== design hierarchy ===/,$p' "$work/stat.txt"
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

# LUTs per distributed-RAM primitive (UG574: RAM64M8 = 8 LUTs, RAM64M/RAM32M = 4, RAM32M16 = 8,
# dual-port X1D = 2, RAM128X1D = 4, RAM256X1D = 8, single-port X1S = 1).
lutram=$(awk '$2 ~ /^[0-9]+$/ {
  n = $2
  if ($1 == "RAM64M8" || $1 == "RAM32M16" || $1 == "RAM256X1D") t += 8 * n
  else if ($1 == "RAM64M" || $1 == "RAM32M" || $1 == "RAM128X1D") t += 4 * n
  else if ($1 == "RAM32X1D" || $1 == "RAM64X1D") t += 2 * n
  else if ($1 == "RAM32X1S" || $1 == "RAM64X1S") t += n
} END { print t + 0 }' "$work/stat.txt")
uram=$(count 'URAM288')
muxf=$(count 'MUXF7|MUXF8|MUXF9')
bram=$(awk -v a="$ramb36" -v b="$ramb18" 'BEGIN { printf "%g", a + b / 2 }')

# "N (x% of XCU280, y% of XCVU9P)"
share() {
  awk -v n="$1" -v u="$2" -v v="$3" 'BEGIN { printf "%s (%.2f%% of XCU280, %.2f%% of XCVU9P)", n, 100 * n / u, 100 * n / v }'
}

echo "module: $top${*:+ ($*)} (yosys synth_xilinx -family xcup, ${flatten:-hierarchy kept})"
echo "LUT: $lut"
echo "SRL: $srl"
echo "FF: $ff"
echo "DSP: $dsp"
echo "BRAM: $bram (RAMB36E2 $ramb36, RAMB18E2 $ramb18)"
echo "CARRY: $carry"
echo "LUTRAM: $lutram"
echo "URAM: $uram"
echo "MUXF: $muxf"
echo "device share:"
echo "  LUT (logic + SRL + LUTRAM): $(share $((lut + srl + lutram)) 1303680 1182240)"
echo "  FF: $(share "$ff" 2607360 2364480)"
echo "  DSP: $(share "$dsp" 9024 6840)"
echo "  BRAM36: $(share "$bram" 2016 2160)"
echo "  URAM: $(share "$uram" 960 960)"
