from omboon.demo import names


def test_name_lists_are_long_and_have_no_duplicates():
    for names_list in (names.MALE_FIRST_NAMES, names.FEMALE_FIRST_NAMES, names.SURNAMES):
        assert len(names_list) >= 150
        assert len(set(names_list)) == len(names_list)
        assert all(n and n == n.strip() for n in names_list)


def test_titles_follow_sex_age_and_marriage():
    assert names.title_for("M", 8, False) == "ด.ช."
    assert names.title_for("F", 14, False) == "ด.ญ."
    assert names.title_for("M", 15, True) == "นาย"
    assert names.title_for("F", 40, True) == "นาง"
    assert names.title_for("F", 22, False) == "นางสาว"
