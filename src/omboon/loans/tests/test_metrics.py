"""Group metrics as a worked example: a savings group of 200 active members holds 1,000,000 baht
of savings and shares, lends 600,000 of it (40 members borrow) and keeps 400,000 in cash and the
bank; 60,000 baht of principal is more than 30 days late, it wrote off 12,000 and earned a net
90,000 baht over the year."""

from omboon.loans.metrics import COUNT, MONEY, PCT, Inputs, metrics

EXAMPLE = Inputs(active_members=200, savings=1_000_000_00, loans=600_000_00, lendable_cash=400_000_00,
                 par30=60_000_00, written_off=12_000_00, net_income=90_000_00, borrowers=40)


def by_key(i: Inputs) -> dict:
    return {m.key: m for m in metrics(i)}


def test_each_metric_is_its_definition():
    m = by_key(EXAMPLE)
    assert (m["savings_per_member"].kind, m["savings_per_member"].value) == (MONEY, 5_000_00)
    assert (m["loans_outstanding"].kind, m["loans_outstanding"].value) == (MONEY, 600_000_00)
    assert (m["utilisation"].kind, m["utilisation"].value) == (PCT, 60.0)  # 600,000 ÷ (600,000 + 400,000)
    assert m["par30"].value == 10.0 and m["write_off_ratio"].value == 2.0
    assert m["return_on_savings"].value == 9.0
    borrowers = m["members_with_loan"]
    assert (borrowers.kind, borrowers.value, borrowers.share) == (COUNT, 40, 20.0)
    assert list(m) == ["savings_per_member", "loans_outstanding", "utilisation", "par30", "write_off_ratio",
                       "return_on_savings", "members_with_loan"]


def test_a_ratio_over_nothing_is_not_a_number():
    m = by_key(Inputs(active_members=0, savings=0, loans=0, lendable_cash=0, par30=0, written_off=0, net_income=0,
                      borrowers=0))
    assert [m[k].value for k in ("savings_per_member", "utilisation", "par30", "write_off_ratio",
                                 "return_on_savings")] == [None] * 5
    assert m["members_with_loan"].share is None and m["loans_outstanding"].value == 0


def test_each_label_and_definition_in_thai_and_english():
    for m in metrics(EXAMPLE):
        assert m.label("th") and m.help("th") and m.label("en") and m.help("en")
        assert not any("\u0e00" <= ch <= "\u0e7f" for ch in m.label("en") + m.help("en"))
    assert "1100" in by_key(EXAMPLE)["utilisation"].help("th") and "1200" in by_key(EXAMPLE)["utilisation"].help("en")
