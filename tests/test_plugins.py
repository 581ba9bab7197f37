"""Third-party layers: a plugin registered through the ``bilstm_dsl.layers`` entry point
(tests/plugin_site holds a real package and its dist-info), broken plugins reported as
diagnostics, and opaque layers declared in the spec and imported only when allowed."""

from __future__ import annotations

import ast as python_ast
import json
import subprocess
import sys
from importlib.metadata import EntryPoint

import pytest
from conftest import ROOT

from bilstm_dsl import check, plugins
from bilstm_dsl.backends.plan import plan
from bilstm_dsl.backends.python import emit_python
from bilstm_dsl.cli import main
from bilstm_dsl.summary import summary_table

SITE = ROOT / "tests" / "plugin_site"
SPEC = "input(20, 8) -> attentionblock(16) -> lstm(4) -> dense(1)"
OPAQUE = (
    'input(20, 8) -> opaque("plugin_pkg.layers:AttentionBlock", output=(none, 20, 16), '
    "params=160, units=16) -> lstm(4) -> dense(1)"
)


@pytest.fixture
def site(monkeypatch):
    """The test package installed: on sys.path, found by importlib.metadata."""
    monkeypatch.syspath_prepend(str(SITE))
    monkeypatch.setattr(plugins, "_loaded", None)
    yield
    for name in [m for m in sys.modules if m.startswith("plugin_pkg")]:
        monkeypatch.delitem(sys.modules, name)


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_plugin_layer_is_checked_like_a_built_in(site):
    result = check(SPEC)
    assert result.ok, codes(result)
    block = result.stages[0]
    assert block.shapes == ((None, 20, 16),) and block.params == 8 * 16 + 16 + 16
    assert block.layer.keras_class == "AttentionBlock" and block.name == "attention_block"
    flat = check("input(20, 8) -> attentionblock(16, return_sequences=false) -> dense(1)")
    assert flat.ok and flat.stages[0].shapes == ((None, 16),)


def test_plugin_arguments_and_names_are_checked(site):
    assert codes(check("input(20, 8) -> attentionblock(16, unit=3)")) == ["E102"]
    assert codes(check("input(20, 8) -> attentionblock(0)")) == ["E104"]
    assert codes(check("input(20, 8) -> attentionblock()")) == ["E107"]
    typo = check("input(20, 8) -> attentionblok(16)")
    assert codes(typo) == ["E101"]
    assert "attentionblock" in (typo.diagnostics[0].help or "")


def test_plugin_rejection_is_a_diagnostic(site):
    result = check("input(20) -> attentionblock(16)")
    assert codes(result) == ["E144"] and "3-D" in result.diagnostics[0].message


def test_plugin_in_summary_and_python(site):
    result = check(SPEC)
    table = summary_table(result, "m")
    assert "attention_block (AttentionBlock)" in table and "160" in table
    source = emit_python(plan(result, "m"), "m.arch")
    python_ast.parse(source)
    assert "from plugin_pkg.layers import AttentionBlock\n" in source
    assert 'AttentionBlock(16, name="attention_block")(inputs)' in source


def test_entry_points_stay_off_the_cold_path():
    """Checking built-in layers never reads the installed distributions, nor loads the
    plugin and opaque modules at all."""
    code = (
        "import sys, bilstm_dsl; r = bilstm_dsl.check('input(20, 1) -> lstm(8)'); "
        "assert r.ok; print('importlib.metadata' in sys.modules, "
        "'bilstm_dsl.plugins' in sys.modules, 'bilstm_dsl.opaque' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["False", "False", "False"]


BROKEN = [
    ("no_such_module_xyz:LAYERS", "fails to load: ModuleNotFoundError"),
    ("tests_plugin_bad:NOT_A_LAYER", "gives int, not a bilstm_dsl.plugins.PluginLayer"),
    ("tests_plugin_bad:SHADOWS", "`lstm` is a built-in layer"),
    ("tests_plugin_bad:BAD_PATH", "is not `package.module:Class`"),
]


@pytest.fixture
def bad_module(tmp_path, monkeypatch):
    (tmp_path / "tests_plugin_bad.py").write_text(
        "from bilstm_dsl.plugins import PluginLayer, Reject\n"
        "NOT_A_LAYER = 3\n"
        "SHADOWS = PluginLayer('lstm', 'a.b:C', (), lambda a, s: s, lambda a, s: 0)\n"
        "BAD_PATH = PluginLayer('mine', 'no colon', (), lambda a, s: s, lambda a, s: 0)\n"
        "def boom(args, shape):\n"
        "    raise RuntimeError('oops')\n"
        "CRASH = PluginLayer('crash', 'a.b:C', (), boom, lambda a, s: 0)\n"
        "NO_SHAPE = PluginLayer('noshape', 'a.b:C', (), lambda a, s: 'x', lambda a, s: 0)\n"
        "NO_COUNT = PluginLayer('nocount', 'a.b:C', (), lambda a, s: s, lambda a, s: -1)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    monkeypatch.delitem(sys.modules, "tests_plugin_bad", raising=False)


@pytest.mark.parametrize(("value", "said"), BROKEN)
def test_broken_plugin_is_reported_not_raised(bad_module, value, said):
    with plugins.installed([EntryPoint("bad", value, plugins.GROUP)]):
        result = check("input(20, 8) -> mine(3)")
    assert sorted(codes(result)) == ["E101", "E143"]
    assert said in next(d.message for d in result.diagnostics if d.code == "E143")


@pytest.mark.parametrize("name", ["crash", "noshape", "nocount"])
def test_broken_rule_is_reported_not_raised(bad_module, name):
    value = f"tests_plugin_bad:{name.upper().replace('NO', 'NO_') if 'no' in name else 'CRASH'}"
    with plugins.installed([EntryPoint("bad", value, plugins.GROUP)]):
        result = check(f"input(20, 8) -> {name}()")
    assert codes(result) == ["E143"], result.diagnostics


def test_a_healthy_plugin_beside_a_broken_one(site):
    points = [
        EntryPoint("attention", "plugin_pkg.arch:LAYERS", plugins.GROUP),
        EntryPoint("bad", "no_such_module_xyz:LAYERS", plugins.GROUP),
    ]
    with plugins.installed(points):
        assert check(SPEC).ok


# -- opaque layers


def test_opaque_layer_is_trusted_and_marked():
    result = check(OPAQUE)
    assert result.ok and codes(result) == ["N410"]
    block = result.stages[0]
    assert block.shapes == ((None, 20, 16),) and block.params == 160
    assert "(AttentionBlock, declared)" in summary_table(result, "m")


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        ("opaque(Block, output=(none, 4), params=0)", "E140"),
        ('opaque("a.b", output=(none, 4), params=0)', "E140"),
        ('opaque("a.b:C", params=0)', "E141"),
        ('opaque("a.b:C", output=(none, 4))', "E141"),
        ("opaque(output=(none, 4), params=0)", "E141"),
        ('opaque("a.b:C", output=(4, 4), params=0)', "E142"),
        ('opaque("a.b:C", output=(none, 0), params=0)', "E142"),
        ('opaque("a.b:C", output=none, params=0)', "E142"),
        ('opaque("a.b:C", output=(none, 4), params=-1)', "E142"),
        ('opaque("a.b:C", output=(none, 4), params=0, units=lstm(3))', "E103"),
        ('opaque("a.b:C", output=(none, 4), params=0, units=3, units=4)', "E105"),
    ],
)
def test_opaque_mistakes(spec, code):
    assert codes(check(f"input(20, 8) -> {spec}")) == [code]


def test_opaque_several_outputs_and_python():
    result = check(
        'input(20, 8) -> opaque("m.x:Pair", output=[(none, 4), (none, 2)], params=7, k="v")'
    )
    assert result.ok and result.stages[0].shapes == ((None, 4), (None, 2))
    source = emit_python(plan(result, "m"), "m.arch")
    assert "from m.x import Pair\n" in source and 'Pair(k="v", name="pair")' in source


def test_compile_refuses_an_opaque_module_not_allowed(tmp_path, capsys):
    spec = tmp_path / "m.arch"
    spec.write_text(OPAQUE)
    code, out, err = run(capsys, "compile", spec, "--emit", "json")
    assert code == 2 and out == ""
    last = err.strip().splitlines()[-1]
    assert "--allow-import plugin_pkg.layers" in last
    code, out, _ = run(capsys, "compile", spec, "--emit", "python")
    assert code == 0 and "from plugin_pkg.layers import AttentionBlock" in out


# -- end to end with Keras


@pytest.mark.keras
def test_plugin_model_built_by_keras_matches_the_checker(site, keras):
    from bilstm_dsl.backends.keras import build_model

    result = check(SPEC)
    model = build_model(result, "m")
    for stage, layer in zip(result.stages, model.layers[1:]):
        assert stage.name == layer.name
        assert tuple(layer.output.shape) == stage.shapes[0]
        assert layer.count_params() == stage.params
    assert model.count_params() == result.summary["total_params"]


@pytest.mark.keras
def test_opaque_model_built_only_when_allowed(site, keras, tmp_path, capsys):
    from bilstm_dsl import build

    with pytest.raises(ValueError, match="--allow-import plugin_pkg.layers"):
        build(OPAQUE)
    model = build(OPAQUE, allow_import=("plugin_pkg.layers",))
    result = check(OPAQUE)
    assert model.count_params() == result.summary["total_params"]
    spec = tmp_path / "m.arch"
    spec.write_text(OPAQUE)
    code, out, _ = run(
        capsys, "compile", spec, "--emit", "json", "--allow-import", "plugin_pkg.layers"
    )
    assert code == 0
    assert json.loads(out)["config"]["layers"][1]["class_name"] == "AttentionBlock"
    target = tmp_path / "m.keras"
    code, _, _ = run(capsys, "compile", spec, "-o", target, "--allow-import", "plugin_pkg.layers")
    assert code == 0 and keras.saving.load_model(target).count_params() == model.count_params()
