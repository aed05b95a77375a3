"""The HTML report as a person sees it: headless Chromium renders it, the screenshot must have the
window's size and show content, the page must log no console message, and its DOM must hold the
report's sections. Skips without Chromium (installed in CI by .ci/chromium_setup.sh) unless
VP_REQUIRE_CHROMIUM=1, where a missing browser fails."""
import importlib.util
import os
import re
import shutil
import subprocess
import unittest

import script_test_support as support

HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
try:
    from PIL import Image  # python3-pil, a dependency of python3-matplotlib
except ImportError:
    Image = None

WIDTH, HEIGHT = 1280, 2200
# Chromium logs each page console message (console.*, uncaught exceptions, refused loads) as INFO:CONSOLE.
CONSOLE = re.compile(r":CONSOLE[:(]|Uncaught |Not allowed to load local resource|net::ERR_")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return ""


def headless(url: str, work: str, *extra) -> subprocess.CompletedProcess:
    profile = os.path.join(work, "profile")
    shutil.rmtree(profile, ignore_errors=True)
    os.makedirs(profile)
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--hide-scrollbars"] + list(extra) + [url]
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)


def console_lines(stderr: str):
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


def require_tools(test: unittest.TestCase) -> None:
    missing = [what for what, ok in (("chromium", chromium()), ("python3-matplotlib", HAVE_MATPLOTLIB),
                                     ("python3-pil", Image is not None)) if not ok]
    if not missing:
        return
    if os.environ.get("VP_REQUIRE_CHROMIUM") == "1":
        test.fail("VP_REQUIRE_CHROMIUM=1 but missing: %s" % ", ".join(missing))
    test.skipTest("missing %s (bash .ci/chromium_setup.sh installs them)" % ", ".join(missing))


class ReportInChromium(unittest.TestCase):
    def setUp(self):
        require_tools(self)
        self.dir = support.fresh_dir(self.id().split(".")[-1])

    def test_report_renders_with_content_and_no_console_message(self):
        stats, sweep_csv = support.make_run_and_sweep(self.dir)
        html = os.path.join(self.dir, "report.html")
        r = support.run_report([stats, sweep_csv, "--out=" + html], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stdout)
        url = "file://" + html

        shot = os.path.join(self.dir, "report.png")
        r = headless(url, self.dir, "--window-size=%d,%d" % (WIDTH, HEIGHT), "--screenshot=" + shot)
        self.assertEqual(r.returncode, 0, r.stderr[-3000:])
        self.assertEqual(console_lines(r.stderr), [])
        self.assertEqual(support.png_size(shot), (WIDTH, HEIGHT))
        with Image.open(shot) as img:
            rgb = img.convert("RGB")
            colours = rgb.getcolors(maxcolors=1 << 20)
            # A blank or failed page is one or two flat colours; the report has text, tables and plots.
            self.assertGreater(len(colours), 200)
            background = max(colours)[0]
            self.assertLess(background / float(WIDTH * HEIGHT), 0.9)
            # The header band is drawn: its blue is at the top of the page.
            r0, g0, b0 = rgb.getpixel((5, 5))
            self.assertGreater(b0, r0 + 40)

        r = headless(url, self.dir, "--dump-dom")
        self.assertEqual(r.returncode, 0, r.stderr[-3000:])
        self.assertEqual(console_lines(r.stderr), [])
        dom = r.stdout
        for section in ("summary", "roofline", "cycles", "energy", "baselines", "sweep", "tokens", "bandwidth",
                        "channels"):
            self.assertIn('id="%s"' % section, dom)
        # The pictures an architect looks at, each rendered as an image in its section.
        for name in ("phase_cycles", "token_cycles", "baselines", "channel_bandwidth"):
            self.assertRegex(dom, r'<figure id="fig-%s"><img [^>]*src="data:image/svg\+xml;base64,' % name)
        # The baselines as rendered: roofline bounds and measured rows, each labelled.
        baselines = dom[dom.index('id="baselines"'):dom.index('id="sweep"')]
        self.assertEqual(baselines.count('<tr class="roofline">'), 2)  # CPU and GPU
        self.assertGreaterEqual(baselines.count('<tr class="measured">'), 1)  # the preset's measured GPU
        self.assertIn("roofline (upper bound)", baselines)
        self.assertIn(">measured<", baselines)
        self.assertGreaterEqual(len(re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,', dom)), 7)
        sweep = dom[dom.index('id="sweep"'):dom.index('id="tokens"')]
        self.assertEqual(sweep.count("<tr"), 1 + 4)  # header + one row per sweep point

    def test_console_check_catches_a_page_error(self):
        # The console check above must be able to fail: a page with a script error is caught.
        page = support.write(os.path.join(self.dir, "broken.html"),
                             "<!DOCTYPE html><html><body><script>undefined_function();</script></body></html>")
        r = headless("file://" + page, self.dir, "--dump-dom")
        self.assertEqual(r.returncode, 0, r.stderr[-3000:])
        self.assertTrue(any("undefined_function" in line for line in console_lines(r.stderr)), r.stderr[-3000:])


if __name__ == "__main__":
    support.main()
