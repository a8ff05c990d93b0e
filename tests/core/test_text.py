"""Name, address and business keys: two spellings of the same thing give the same key."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulih.core.text import (
    BusinessName,
    PersonName,
    address_key,
    business_key,
    business_name,
    name_key,
    person_name,
)

PLAIN_KEY = re.compile(r"([a-z0-9]+( [a-z0-9]+)*)?")


def same_name(left, right):
    return person_name(left).key == person_name(right).key


# Input and output


@pytest.mark.parametrize("empty", [None, "", "   ", "., -"])
def test_empty_input_gives_empty_keys(empty):
    assert person_name(empty) == PersonName(key="", titles=())
    assert name_key(empty) == ""
    assert address_key(empty) == ""
    assert business_name(empty) == BusinessName(key="", forms=())
    assert business_key(empty) == ""


@given(st.text())
def test_any_text_gives_a_plain_ascii_key(text):
    assert PLAIN_KEY.fullmatch(name_key(text))
    assert PLAIN_KEY.fullmatch(address_key(text))
    assert PLAIN_KEY.fullmatch(business_key(text))


def test_case_punctuation_and_spacing_are_ignored():
    assert person_name("  BUDI   santoso- ").key == "budi santoso"
    assert same_name("Sri-Rahayu", "sri rahayu")


def test_accents_are_dropped():
    assert person_name("José Éfendi").key == "jose efendi"


def test_apostrophes_close_up_so_maruf_matches_ma_ruf():
    assert person_name("Ma'ruf Amin").key == "maruf amin"
    assert same_name("Ma’ruf Amin", "Maruf Amin")


def test_tokens_are_the_words_of_the_key():
    assert person_name("Hj. Siti Nurhaliza").tokens == ("siti", "nurhaliza")


def test_single_javanese_name_is_its_own_key():
    assert person_name("Sutrisno") == PersonName(key="sutrisno", titles=())
    assert person_name("Drs. Sutrisno") == PersonName(key="sutrisno", titles=("Drs.",))


# Titles


@pytest.mark.parametrize(
    "written, title",
    [
        ("H.", "H."),
        ("H", "H."),
        ("Haji", "H."),
        ("Hj.", "Hj."),
        ("Hajjah", "Hj."),
        ("Ir.", "Ir."),
        ("Ir", "Ir."),
        ("Dr.", "Dr."),
        ("dr.", "Dr."),
        ("Drs.", "Drs."),
        ("Dra.", "Dra."),
        ("Prof.", "Prof."),
        ("Bpk.", "Bpk."),
        ("Bapak", "Bpk."),
        ("Pak", "Bpk."),
        ("Ibu", "Ibu"),
        ("Bu", "Ibu"),
        ("Sdr.", "Sdr."),
        ("Saudara", "Sdr."),
        ("Sdri.", "Sdri."),
        ("Saudari", "Sdri."),
        ("Tn.", "Tn."),
        ("Tuan", "Tn."),
        ("Ny.", "Ny."),
        ("Nyonya", "Ny."),
        ("Alm.", "Alm."),
        ("Almh.", "Almh."),
    ],
)
def test_title_before_the_name_is_set_aside(written, title):
    assert person_name(f"{written} Budi Santoso") == PersonName("budi santoso", (title,))


@pytest.mark.parametrize(
    "written, degree",
    [
        ("S.E.", "S.E."),
        ("SE", "S.E."),
        ("S. E.", "S.E."),
        ("S.Pd.", "S.Pd."),
        ("S.Pd", "S.Pd."),
        ("SPd", "S.Pd."),
        ("S.H.", "S.H."),
        ("SH", "S.H."),
        ("S.Kom.", "S.Kom."),
        ("S.T.", "S.T."),
        ("ST", "S.T."),
        ("S.Sos.", "S.Sos."),
        ("S.Ag.", "S.Ag."),
        ("S.Kep.", "S.Kep."),
        ("A.Md.", "A.Md."),
        ("AMd", "A.Md."),
        ("M.M.", "M.M."),
        ("MM", "M.M."),
        ("M.Si.", "M.Si."),
        ("M.Pd.", "M.Pd."),
        ("M.H.", "M.H."),
    ],
)
def test_degree_after_the_name_is_set_aside(written, degree):
    assert person_name(f"Budi Santoso, {written}") == PersonName("budi santoso", (degree,))
    assert person_name(f"Budi Santoso {written}") == PersonName("budi santoso", (degree,))


def test_titles_are_kept_in_the_order_written():
    assert person_name("Prof. Dr. Ir. H. Budi Santoso, S.E., M.M.") == PersonName(
        "budi santoso", ("Prof.", "Dr.", "Ir.", "H.", "S.E.", "M.M.")
    )


def test_title_glued_to_the_name_is_set_aside():
    assert person_name("Drs.Sutrisno") == PersonName("sutrisno", ("Drs.",))
    assert person_name("Budi Santoso,S.E.,M.M") == PersonName("budi santoso", ("S.E.", "M.M."))


def test_almarhum_after_the_name_is_set_aside():
    assert person_name("Ahmad Dahlan (Alm)") == PersonName("ahmad dahlan", ("Alm.",))


def test_h_inside_the_name_is_an_initial_not_haji():
    assert person_name("M. H. Thamrin").key == "muhammad h thamrin"
    assert person_name("Ahmad H. Salim").key == "ahmad h salim"


def test_ir_inside_the_name_is_kept():
    assert person_name("Budi Ir Santoso").key == "budi ir santoso"


def test_undotted_letters_after_the_name_are_initials_not_a_degree():
    assert person_name("Ahmad M H") == PersonName("ahmad m h", ())


def test_a_title_alone_is_kept_as_the_name():
    assert person_name("Bapak") == PersonName("bapak", ())
    assert person_name("Haji Sutrisno") == PersonName("sutrisno", ("H.",))


# Spelling


@pytest.mark.parametrize(
    "old, new",
    [
        ("Soekarno", "Sukarno"),
        ("Djoko", "Joko"),
        ("Tjahjo", "Cahyo"),
        ("Djaja", "Jaya"),
        ("Sjahrir", "Syahrir"),
        ("Soenjoto", "Sunyoto"),
        ("Njoman", "Nyoman"),
        ("Pandjaitan", "Panjaitan"),
        ("Chairul", "Khairul"),
    ],
)
def test_old_spelling_matches_the_new(old, new):
    assert same_name(old, new)


def test_old_spelling_djoko_matches_joko():
    assert person_name("Djoko Soesilo").key == person_name("Joko Susilo").key == "joko susilo"


def test_j_stays_j_in_a_modern_word_so_juli_is_not_yuli():
    assert not same_name("Juli", "Yuli")
    assert not same_name("Joko", "Yoko")


@pytest.mark.parametrize(
    "written",
    [
        "Muhammad",
        "Mohammad",
        "Muhamad",
        "Mohamad",
        "Mochammad",
        "Muchammad",
        "Mochamad",
        "Moch.",
        "Moh.",
        "Muh.",
        "Mhd.",
        "M.",
        "Moehammad",
    ],
)
def test_muhammad_variants_meet(written):
    assert person_name(f"{written} Yusuf").key == "muhammad yusuf"


def test_m_is_muhammad_only_as_the_leading_initial():
    assert person_name("H. M. Yusuf").key == "muhammad yusuf"
    assert person_name("Yusuf M. Kalla").key == "yusuf m kala"
    assert person_name("M").key == "m"


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("Abd. Rahman", "abdul rahman"),
        ("Abdul Rahman", "abdul rahman"),
        ("Noor Hidayat", "nur hidayat"),
        ("Nour Hidayat", "nur hidayat"),
        ("Achmad Yani", "ahmad yani"),
        ("Akhmad Yani", "ahmad yani"),
    ],
)
def test_whole_word_variants_meet(written, canonical):
    assert person_name(written).key == canonical


def test_st_is_siti_before_the_name_and_a_degree_after_it():
    assert person_name("St. Aminah") == PersonName("siti aminah", ())
    assert person_name("Aminah, ST") == PersonName("aminah", ("S.T.",))


def test_doubled_letters_collapse_so_hasanuddin_matches_hasanudin():
    assert same_name("Hasanuddin", "Hasanudin")
    assert same_name("Muhammad Saad", "Muhamad Sad")


def test_final_y_is_i_so_hendry_matches_hendri():
    assert same_name("Hendry", "Hendri")
    assert same_name("Ferry Yudhy", "Feri Yudhi")


# Connectors


@pytest.mark.parametrize(
    "written", ["Ahmad bin Salim", "Siti binti Salim", "Ahmad bt. Salim", "Ahmad b. Salim"]
)
def test_bin_and_binti_are_set_aside(written):
    assert person_name(written).tokens[1:] == ("salim",)


def test_bare_b_inside_the_name_is_an_initial():
    assert person_name("Susilo B Yudhoyono").key == "susilo b yudhoyono"


# Addresses


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("Jl. Merdeka", "jalan merdeka"),
        ("Jln Merdeka", "jalan merdeka"),
        ("Jl.Merdeka", "jalan merdeka"),
        ("Jalan Merdeka", "jalan merdeka"),
        ("Gg. Mawar", "gang mawar"),
        ("No. 7", "no 7"),
        ("Nomor 7", "no 7"),
        ("Nmr 07", "no 7"),
        ("No7", "no 7"),
        ("Ds. Sukamaju", "desa sukamaju"),
        ("Kel. Sukamaju", "kelurahan sukamaju"),
        ("Kec. Sungailiat", "kecamatan sungailiat"),
        ("Kab. Bangka", "kabupaten bangka"),
        ("Dsn. Krajan", "dusun krajan"),
        ("Perum. Griya Asri", "perumahan griya asri"),
        ("Komp. Pelita", "kompleks pelita"),
        ("Komplek Pelita", "kompleks pelita"),
        ("Blk. A3", "blok a 3"),
    ],
)
def test_address_abbreviations_are_spelt_out(written, canonical):
    assert address_key(written) == canonical


@pytest.mark.parametrize(
    "written",
    ["RT 03/RW 05", "RT.003 RW.005", "Rt3/Rw5", "RT 3 RW 5", "RT/RW 003/005", "RT 003/005"],
)
def test_rt_rw_in_any_form_is_rt_3_rw_5(written):
    assert address_key(written) == "rt 3 rw 5"


def test_whole_addresses_written_differently_meet():
    assert (
        address_key("Jl. Merdeka No. 12, RT 03/RW 05, Kel. Sukamaju")
        == address_key("JALAN MERDEKA NOMOR 12 RT/RW 003/005 KELURAHAN SUKAMAJU")
        == "jalan merdeka no 12 rt 3 rw 5 kelurahan sukamaju"
    )


# Business names


@pytest.mark.parametrize(
    "written, form",
    [
        ("UD Sinar Jaya", "UD"),
        ("CV Sinar Jaya", "CV"),
        ("C.V. Sinar Jaya", "CV"),
        ("PT Sinar Jaya", "PT"),
        ("P. T. Sinar Jaya", "PT"),
        ("PD Sinar Jaya", "PD"),
        ("Toko Sinar Jaya", "Toko"),
        ("Tk. Sinar Jaya", "Toko"),
        ("Warung Sinar Jaya", "Warung"),
        ("Wr. Sinar Jaya", "Warung"),
        ("Wrg Sinar Jaya", "Warung"),
        ("Warung Makan Sinar Jaya", "Warung"),
        ("Koperasi Sinar Jaya", "Koperasi"),
        ("Kop. Sinar Jaya", "Koperasi"),
        ("Kopr. Sinar Jaya", "Koperasi"),
        ("KSP Sinar Jaya", "KSP"),
        ("Koperasi Simpan Pinjam Sinar Jaya", "KSP"),
        ("Kop. Simpan Pinjam Sinar Jaya", "KSP"),
        ("KSU Sinar Jaya", "KSU"),
        ("Koperasi Serba Usaha Sinar Jaya", "KSU"),
        ("KSPPS Sinar Jaya", "KSPPS"),
        ("Koperasi Simpan Pinjam dan Pembiayaan Syariah Sinar Jaya", "KSPPS"),
        ("KUD Sinar Jaya", "KUD"),
        ("Koperasi Unit Desa Sinar Jaya", "KUD"),
        ("Sinar Jaya, CV", "CV"),
    ],
)
def test_business_form_is_set_aside(written, form):
    assert business_name(written) == BusinessName("sinar jaya", (form,))


def test_business_forms_are_kept_in_the_order_written():
    assert business_name("CV Toko Sinar Jaya") == BusinessName("sinar jaya", ("CV", "Toko"))


def test_business_name_uses_the_person_name_spelling_folds():
    assert business_key("UD Sinar Djaya") == business_key("Sinar Jaya") == "sinar jaya"
    assert business_key("Toko Hj. Moch. Soleh") == "hj muhammad soleh"


def test_tk_without_a_dot_is_a_kindergarten_not_a_shop():
    assert business_name("TK Pertiwi") == BusinessName("tk pertiwi", ())


def test_a_form_alone_is_kept_as_the_name():
    assert business_name("Toko") == BusinessName("toko", ())


def test_numbers_in_business_names_are_kept():
    assert business_name("Toko 88") == BusinessName("88", ("Toko",))


# Caching


def test_cached_keys_equal_freshly_computed_ones():
    texts = ["H. Moch. Soetrisno, S.E.", "Sutrisno", "UD Sinar Djaya", "Jl. Merdeka RT 3/5", None]
    for key in (name_key, address_key, business_key):
        key.cache_clear()
        first = [key(text) for text in texts]
        assert [key(text) for text in texts] == first
        assert [key.__wrapped__(text) for text in texts] == first
        assert key.cache_info().hits == len(texts)
