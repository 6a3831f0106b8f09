"""phonenumbers' matcher, its alternate formats and the as-you-type formatter, deferred in
the shipped wheel (sitebuild/deferred.py): not imported by ``import phonenumbers``, and the
same as the library as installed once asked for."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest

from sitebuild.common import BuildError
from sitebuild.deferred import DEFERRED, rewrite

pytestmark = pytest.mark.site

TEXT = (
    "Звоните: +7 912 345-67-89, 8 (495) 123-45-67 доб. 12; Berlin 030 1234567, "
    "+49 (0)30 12 34 56 7; London 020 7946 0958; 8-800-555-35-35; 12-34"
)

#: Run in a child Python with the package under test first on sys.path: what loads at
#: `import phonenumbers`, then what the matcher finds at every leniency and in which regions.
CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import phonenumbers
DEFERRED = ("phonenumbers.phonenumbermatcher", "phonenumbers.asyoutypeformatter")
loaded = sorted(m for m in sys.modules if m in DEFERRED or ".alt_format_" in m)
from phonenumbers import *  # every name of __all__ resolves
out = {"file": phonenumbers.__file__, "loaded_at_import": loaded}
out["matches"] = {
    f"{region} {name}": [str(m) for m in PhoneNumberMatcher(sys.argv[2], region, leniency=getattr(Leniency, name))]
    for region in ("RU", "DE", "GB")
    for name in ("POSSIBLE", "VALID", "STRICT_GROUPING", "EXACT_GROUPING")
}
typed = {}
for region, digits in (("RU", "89123456789"), ("RU", "+74951234567"), ("DE", "030123456"), ("GB", "02079460958")):
    formatter = AsYouTypeFormatter(region)
    typed[f"{region} {digits}"] = [formatter.input_digit(d) for d in digits]
out["as_you_type"] = typed
formats = phonenumbers.data._ALT_NUMBER_FORMATS
out["alt_formats"] = {cc: [f.pattern for f in fs] for cc, fs in sorted(formats.items())}
try:
    phonenumbers.no_such_name
    out["missing"] = "no error"
except AttributeError as err:
    out["missing"] = str(err)
print(json.dumps(out))
"""


def run_child(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-I", "-c", CHILD, str(path), TEXT], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def as_installed(tmp_path_factory) -> dict:
    """The library as pip installed it, copied so it is first on sys.path."""
    dest = tmp_path_factory.mktemp("installed")
    shutil.copytree(Path(phonenumbers.__file__).parent, dest / "phonenumbers")
    return run_child(dest)


def test_the_installed_library_imports_what_the_rewrite_defers(as_installed):
    # Else the rewrite would have nothing left to save (or this test nothing to show).
    assert "phonenumbers.phonenumbermatcher" in as_installed["loaded_at_import"]
    assert "phonenumbers.asyoutypeformatter" in as_installed["loaded_at_import"]
    assert len(as_installed["loaded_at_import"]) > 40
    assert any(as_installed["matches"].values())
    assert as_installed["as_you_type"]["RU 89123456789"][-1] == "8 912 345-67-89"


def test_the_rewritten_package_loads_them_on_first_use_only_and_finds_the_same(tmp_path, as_installed):
    pkg = tmp_path / "phonenumbers"
    shutil.copytree(Path(phonenumbers.__file__).parent, pkg)
    for name in DEFERRED:
        path = tmp_path / name
        path.write_bytes(rewrite(name, path.read_bytes()))
    got = run_child(tmp_path)
    assert got["file"].startswith(str(tmp_path))
    assert got["loaded_at_import"] == []
    assert got["matches"] == as_installed["matches"]
    assert got["alt_formats"] == as_installed["alt_formats"]
    assert got["as_you_type"] == as_installed["as_you_type"]
    assert got["missing"] == "module 'phonenumbers' has no attribute 'no_such_name'"


def test_other_files_are_left_as_they_are():
    source = (Path(phonenumbers.__file__).parent / "phonenumberutil.py").read_bytes()
    assert rewrite("phonenumbers/phonenumberutil.py", source) == source


@pytest.mark.parametrize(
    ("name", "index"), [(n, i) for n, blocks in sorted(DEFERRED.items()) for i in range(len(blocks))]
)
def test_a_changed_library_stops_the_build(name, index):
    """Each block alone: its first line changed, the rewrite refuses the module."""
    source = (Path(phonenumbers.__file__).parent.parent / name).read_text()
    first = DEFERRED[name][index].pattern.search(source).group(0).split("\n", 1)[0]
    changed = source.replace(first + "\n", first + "  # moved\n", 1)
    assert changed != source
    with pytest.raises(BuildError, match="not as expected"):
        rewrite(name, changed.encode())


def test_the_site_ships_the_rewritten_wheel(site_dir, as_installed):
    (wheel,) = site_dir.glob("assets/simulator/wheels/*/phonenumberslite-*.whl")
    got = run_child(wheel)  # its .pyc are for the runtime's Python, which the host's is (pycompile.py)
    assert got["file"].startswith(str(wheel))
    assert got["loaded_at_import"] == []
    assert got["matches"] == as_installed["matches"]
    assert got["alt_formats"] == as_installed["alt_formats"]
    assert got["as_you_type"] == as_installed["as_you_type"]
