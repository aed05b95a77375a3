"""The include layering of the C++ sources: a file may include its own folder and the layers
below it, never a layer above: platform -> traces -> models -> sw -> hls (the host software uses
the kernel's device layout and arithmetic; hls/ includes nothing else), and inside models/:
verilated -> kernel, memory -> dram, host -> axi -> the shared models/*.h. Fails naming each include that
points upward, so a dependency loop between folders cannot creep back in."""
import os
import re
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Folder -> rank; an include must point to a folder of lower rank, or to its own folder.
RANKS = {
    "hls": 0,
    "sw": 1,
    "models": 2,  # what every model uses (configuration fields)
    "models/axi": 3,
    "models/dram": 4,
    "models/host": 4,
    "models/kernel": 5,
    "models/memory": 5,
    "models/verilated": 6,
    "traces": 7,
    "platform": 8,
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def folder_of(path: str) -> str:
    return os.path.dirname(path)


def upward_includes(repo: str):
    """(file, line number, included path) for every include of a higher or sideways layer."""
    found = []
    for top in ("sw", "hls", "models", "traces", "platform"):
        for root, _, files in os.walk(os.path.join(repo, top)):
            for name in sorted(files):
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.relpath(os.path.join(root, name), repo)
                own = folder_of(path)
                if own not in RANKS:
                    continue
                with open(os.path.join(repo, path), encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = folder_of(m.group(1))
                        if target not in RANKS or target == own:
                            continue
                        if RANKS[target] >= RANKS[own]:
                            found.append((path, number, m.group(1)))
    return found


class IncludeLayers(unittest.TestCase):
    def test_no_include_points_to_a_higher_layer(self):
        violations = upward_includes(REPO)
        self.assertEqual(violations, [], "\n".join(f"{p}:{n}: includes {t} (a higher layer)" for p, n, t in violations))

    def test_the_check_sees_an_upward_include(self):
        # A file of sw/ including platform/ must be reported: the check can fail.
        import tempfile
        with tempfile.TemporaryDirectory() as repo:
            os.makedirs(os.path.join(repo, "sw"))
            with open(os.path.join(repo, "sw", "bad.h"), "w", encoding="utf-8") as f:
                f.write('#pragma once\n#include "platform/soc.h"\n#include "sw/ok.h"\n')
            self.assertEqual(upward_includes(repo), [("sw/bad.h", 2, "platform/soc.h")])


if __name__ == "__main__":
    unittest.main()
