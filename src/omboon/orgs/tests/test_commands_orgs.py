import io

from django.core.management import call_command


def _orgs(*args):
    out = io.StringIO()
    call_command("orgs", *args, stdout=out)
    return out.getvalue().splitlines()


def test_orgs_lists_code_kind_name_parent(tree):
    lines = _orgs()
    assert lines[0].split() == ["code", "kind", "name", "parent"]
    bdc = next(line for line in lines if line.startswith("BDC"))
    assert bdc.split()[1] == "group:welfare_fund"
    assert "กองทุนสวัสดิการบ้านดอนไชย" in bdc and bdc.endswith("LP-S")
    lp = next(line for line in lines if line.startswith("LP "))
    assert lp.split()[1] == "network" and lp.endswith("-")
    assert "6 องค์กร / organisations" in lines[-1]


def test_orgs_tree_indents_by_depth_in_tree_order(tree):
    lines = _orgs("--tree")
    assert any(line.startswith("    BDC") for line in lines)
    assert any(line.startswith("  LP-S") for line in lines)
    assert any(line.startswith("LP ") for line in lines)
    order = [line.strip().split()[0] for line in lines[1:-2]]
    assert order == ["LP", "LP-S", "BDC", "MPA", "LP-N", "NGA"]


def test_orgs_on_an_empty_database(db):
    assert "no organisations" in _orgs()[0]
