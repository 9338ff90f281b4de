import datetime as dt
import io

import pytest
from django.core.management import call_command

from omboon.demo import generator
from omboon.demo.accounts import DEMO_USERS


@pytest.mark.django_db
def test_hint_when_the_demo_was_not_built():
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("demo_logins", stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert "omboon demo" in err.getvalue() and "ยังไม่ได้สร้าง" in err.getvalue()


@pytest.mark.django_db
def test_table_of_logins_in_thai_and_english():
    # the logins table reads users, roles and organisations only: no app history needed
    generator.build(seed=1, groups=6, members=10, end=dt.date(2025, 6, 30), populate=False)
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for user in DEMO_USERS:
        assert user.username in text and user.sees_en in text and user.sees_th in text
    assert text.count("omboon-demo") == len(DEMO_USERS)
    assert "เหรัญญิก / treasurer" in text and "LP-S" in text
