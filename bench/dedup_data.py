"""Synthetic Indonesian people and their businesses, with ground truth, for record linkage.

Every real person has one record; about `duplicate_share` of the rows are 1-3 extra records
of a person who already has one, each spoiled in 1-3 of the ways field data is spoiled
(`CORRUPTIONS`). All rows of one person share a `truth_id`. People live in real villages of
the packaged Kemendagri list, their NIKs agree with district, birth date and sex, and names
follow the province (Balinese in Bali, Batak in North Sumatra...) with the skew of real
names, so the same common name turns up again and again. Hard negatives are built in:
family members sharing address, phone and surname, twins, and namesakes in one regency.

    .venv/bin/python -m bench.dedup_data --size 1000000 [--seed 0] --out people.csv
"""

import argparse
import csv
import itertools
import platform
import re
import resource
import sys
import time
from bisect import bisect
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from random import Random

from pulih.wilayah.data import read_rows

PEOPLE_COLUMNS = (
    "record_id",
    "truth_id",
    "nik",
    "name",
    "birth_date",
    "sex",
    "phone",
    "address",
    "village_code",
    "business_name",
)

# Share of duplicates spoiled in each way. Kinds in one tuple of EXCLUSIVE touch the same
# field and never come together. "muhammad" is the share of duplicates whose name holds
# "Muhammad". A duplicate that draws no kind gets one; one that draws four keeps three.
CORRUPTIONS = {
    "name_typo": 0.18,
    "old_spelling": 0.08,
    "title": 0.08,
    "muhammad": 0.50,
    "name_order": 0.04,
    "middle_name": 0.05,
    "nik_missing": 0.15,
    "nik_typo": 0.10,
    "birth_date_missing": 0.06,
    "birth_date_swap": 0.04,
    "birth_date_off": 0.05,
    "phone_new": 0.10,
    "phone_missing": 0.08,
    "moved_village": 0.06,
    "address_rewrite": 0.18,
    "business_variant": 0.15,
}
EXCLUSIVE = (
    ("nik_missing", "nik_typo"),
    ("birth_date_missing", "birth_date_swap", "birth_date_off"),
    ("phone_new", "phone_missing"),
    ("moved_village", "address_rewrite"),
)
MAX_CORRUPTIONS = 3
# Share of first records with a field left empty: field data is incomplete.
FIRST_RECORD_BLANKS = {
    "nik": 0.03,
    "birth_date": 0.05,
    "sex": 0.02,
    "phone": 0.10,
    "address": 0.03,
    "business_name": 0.05,
}
# Share of people who are a family member, a twin or a namesake of the person before them.
FAMILY_SHARE, TWIN_SHARE, NAMESAKE_SHARE = 0.05, 0.006, 0.025
# A family member shares the household's phone, or its business, this often.
SHARED_PHONE, SHARED_BUSINESS = 0.5, 0.25
FEMALE_SHARE = 0.52
# How many extra records a duplicated person has: 1 mostly, up to 3.
EXTRA_RECORDS = ((1, 0.7), (2, 0.2), (3, 0.1))
# How skewed names are: with 0.7 the commonest of 38 names is picked one time in seven,
# and most people share their full name with someone else in a million.
ZIPF_EXPONENT = 0.7
FIRST_BIRTH, LAST_BIRTH = date(1950, 1, 1), date(2004, 12, 31)
COMMON_BIRTH = date(1976, 1, 1)

# Approximate population of each province (2020 census, millions): where people live.
PROVINCE_WEIGHTS = {
    "11": 5.3, "12": 14.8, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0,
    "18": 9.0, "19": 1.5, "21": 2.1, "31": 10.6, "32": 48.3, "33": 36.5, "34": 3.7,
    "35": 40.7, "36": 11.9, "51": 4.3, "52": 5.3, "53": 5.3, "61": 5.4, "62": 2.7,
    "63": 4.1, "64": 3.8, "65": 0.7, "71": 2.6, "72": 3.0, "73": 9.1, "74": 2.6,
    "75": 1.2, "76": 1.4, "81": 1.8, "82": 1.3, "91": 1.0, "92": 0.6, "93": 0.5,
    "94": 1.4, "95": 1.4, "96": 0.6,
}  # fmt: skip


class Choice:
    """A weighted pick with precomputed cumulative weights (what `random.choices` does,
    without its per-call set-up)."""

    __slots__ = ("items", "cum", "total", "last")

    def __init__(self, pairs):
        weights, self.items = zip(*pairs, strict=True)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]
        self.last = len(self.items) - 1

    @classmethod
    def zipf(cls, items):
        """Items in order of frequency, the k-th picked with weight 1/k^ZIPF_EXPONENT."""
        return cls((rank**-ZIPF_EXPONENT, item) for rank, item in enumerate(items, 1))

    def pick(self, rng):
        return self.items[bisect(self.cum, rng.random() * self.total, 0, self.last)]


def words(text):
    """The comma-separated items of `text` (an item may hold spaces: "Sri Wahyuni")."""
    return [word.strip() for word in text.split(",") if word.strip()]


def names(text):
    """Comma-separated names, most frequent first, as a Zipf-weighted `Choice`."""
    return Choice.zipf(words(text))


# Where a template puts the family name (marga, surname or clan) that relatives share.
FAMILY = None


def honorifics(male, female):
    """How people call a man and a woman of a tradition: Pak Slamet, Teh Euis, Uni Yusnimar."""
    return names(male), names(female)


COMMON_HONORIFICS = honorifics("Pak, Bang, Mas", "Bu, Kak, Mbak")


@dataclass(frozen=True)
class Culture:
    """How people of one naming tradition are named: templates of name parts per sex
    (a literal, a `Choice`, or FAMILY), the family names if the tradition has them, and
    the honorifics its people are called by."""

    male: Choice
    female: Choice
    family: Choice | None = None
    muslim: bool = True
    honorifics: tuple = COMMON_HONORIFICS

    def name(self, rng, sex, family=""):
        """A full name and the family name in it ("" if none); `family` is a relative's."""
        choice = self.female if sex == "P" else self.male
        while True:
            parts, used = [], ""
            for part in choice.pick(rng):
                if part is FAMILY:
                    used = family or self.family.pick(rng)
                    parts.append(used)
                elif type(part) is str:
                    parts.append(part)
                else:
                    parts.append(part.pick(rng))
            if len(set(parts)) == len(parts):  # no "Sari Sari"
                return " ".join(parts), used

    def honorific(self, rng, sex):
        return self.honorifics[sex == "P"].pick(rng)


def templates(*pairs):
    return Choice(pairs)


JAVANESE_M = names("""
    Slamet, Sutrisno, Suparno, Sugeng, Wagiman, Sukirman, Sumarno, Suyanto, Mulyono,
    Sugiyono, Supriyadi, Purwanto, Haryanto, Sukardi, Tukiman, Paijo, Darmanto, Sarwono,
    Kusnadi, Widodo, Suwarno, Sunardi, Giyono, Karyono, Ngadiman, Parno, Jumadi, Triyono,
    Wiyono, Rohmadi, Sarimin, Marsono, Tarno, Suroso, Sukamto, Bejo, Legiman, Ponijan""")
JAVANESE_M_FIRST = names("""
    Agus, Budi, Eko, Joko, Bambang, Dwi, Tri, Heru, Wahyu, Hadi, Teguh, Bayu, Adi, Yudi,
    Sigit, Didik, Edi, Rudi, Hari, Anang, Dedi, Catur""")
JAVANESE_M_LAST = names("""
    Santoso, Setiawan, Prasetyo, Susanto, Wibowo, Nugroho, Saputro, Purnomo, Kurniawan,
    Hartono, Sulistyo, Cahyono, Raharjo, Utomo, Susilo, Pranoto, Haryadi, Riyanto,
    Wijayanto, Suprapto, Sutrisno, Gunawan, Hidayat, Widodo, Prabowo""")
JAVANESE_F = names("""
    Suparmi, Sumiati, Sulastri, Wartini, Sukinah, Tumini, Painem, Sunarsih, Suyatmi, Sumarni,
    Ngatini, Rukmini, Suwarni, Kustini, Winarsih, Purwanti, Wulandari, Sutini, Sumini,
    Partini, Mujiati, Tukinem, Sriyati, Murni, Karsih, Poniyem, Wagiyem, Sarmi, Jumiati""")
JAVANESE_F_FIRST = names("""
    Sri, Dwi, Tri, Endang, Rini, Dewi, Puji, Ani, Yuni, Eni, Sulis, Retno, Umi, Lilik, Nanik,
    Tutik, Siti""")
JAVANESE_F_LAST = names("""
    Wahyuni, Rahayu, Lestari, Astuti, Mulyani, Hartati, Susanti, Handayani, Purwaningsih,
    Sulistyowati, Rahmawati, Wulandari, Utami, Setyowati, Kurniasih, Sugiarti, Suryani,
    Wahyuningsih, Haryanti, Sundari, Indrawati, Widayati, Ernawati, Yuliana, Pujiastuti""")

MUHAMMAD_NEXT = names("""
    Rizki, Ilham, Iqbal, Arif, Yusuf, Faisal, Ridwan, Fauzan, Hasan, Ali, Nur, Syaiful, Amin,
    Ikhsan, Rafi, Hafiz, Fadli, Zaki, Irfan, Alfian, Ramadhan, Akbar, Taufik, Iskandar""")
AHMAD_NEXT = names("""
    Fauzi, Syarif, Hidayat, Zainal, Rifai, Maulana, Sholeh, Mujib, Khoirul, Nasir, Yani,
    Junaidi, Dahlan, Subhan""")
ABDUL_NEXT = names("""
    Rahman, Rahim, Aziz, Karim, Malik, Latif, Hamid, Wahab, Majid, Gani, Syukur, Kadir, Halim,
    Jalil, Muis, Rasyid, Rozak""")
ARABIC_M_FIRST = names("""
    Rahmat, Hasan, Syaiful, Zainal, Arif, Imam, Yusuf, Khairul, Nurul, Syamsul, Mukhlis, Ali,
    Umar, Ismail, Ibrahim, Fajar, Ilham, Rizal, Zulkifli, Syahrul, Irfan, Taufik, Hamdan""")
ARABIC_M_LAST = names("""
    Hidayat, Anwar, Basri, Abidin, Rahman, Effendi, Huda, Bahri, Hakim, Fauzi, Ramadhan,
    Maulana, Firdaus, Amin, Arifin, Hamzah, Iskandar, Zakaria, Sholeh, Mustofa""")
ARABIC_M = names("""
    Ridwan, Hidayat, Saiful, Khoirul, Mukhlis, Nasrudin, Sholeh, Ismail, Ibrahim, Usman,
    Zulkifli, Kholid, Jamaludin, Syamsudin, Maksum, Masrukhan, Mahmud, Solikhin, Ruslan,
    Zainudin, Nurhadi, Fathurrahman""")
SITI_NEXT = names("""
    Aminah, Aisyah, Fatimah, Khadijah, Maryam, Rohmah, Zubaidah, Maimunah, Nurjanah, Halimah,
    Rahmawati, Nurhayati, Mardiyah, Khotimah, Zulaikha, Romlah, Sholihah, Muawanah,
    Khoiriyah, Masitoh, Nuraini, Hajar, Munawaroh, Sarah, Hasanah, Komariyah, Salamah""")
NUR_NEXT = names("""
    Hidayah, Aini, Azizah, Laila, Halimah, Fadilah, Jannah, Afifah, Khasanah, Hasanah, Aisyah,
    Kholifah, Rohmah, Sholikhah""")
ARABIC_F = names("""
    Aminah, Fatimah, Khadijah, Aisyah, Rahmawati, Nurhayati, Hasanah, Khairunnisa, Annisa,
    Rohani, Salamah, Maisaroh, Zahra, Zainab, Halimah, Maryam, Rukayah, Nafisah, Mutmainah,
    Hafsah, Jamilah, Nurjanah, Masruroh, Umi Kalsum, Faridah""")
ARABIC_F_FIRST = names("Nurul, Umi, Fitri, Rahma, Anisa, Laila, Khusnul, Ummi, Lutfi, Zakiyah")
ARABIC_F_LAST = names("""
    Hidayah, Khotimah, Aini, Fadilah, Habibah, Kalsum, Hasanah, Rahmawati, Mardhiyah,
    Nafisah, Azizah, Jannah, Handayani, Maghfiroh, Nuraini""")

SUNDANESE_M = names("""
    Asep, Ujang, Dadang, Cecep, Dede, Ade, Iwan, Yayan, Deden, Engkus, Encep, Otong, Atang,
    Dadan, Jajang, Nandang, Aep, Yana, Agus, Ayi, Entis, Endang, Herman, Apep, Wawan, Usep,
    Ikin, Oman""")
SUNDANESE_M_LAST = names("""
    Sunarya, Suryana, Hermawan, Kusnadi, Supriatna, Hidayat, Saepudin, Sopandi, Permana,
    Sumantri, Rustandi, Mulyana, Ruhiyat, Wiguna, Setiadi, Kurnia, Rohendi, Somantri,
    Saputra, Gunawan, Firmansyah, Rusmana, Suherman, Sudrajat, Hendrayana, Komarudin""")
SUNDANESE_F = names("""
    Euis, Neneng, Eneng, Yayah, Iis, Imas, Cucu, Enok, Nining, Entin, Titin, Yuyun, Lilis,
    Nunung, Ela, Popon, Cicih, Ai, Elis, Nenden, Dedeh, Oom, Ikah, Icih, Een, Mimin, Nani, Yeti""")
SUNDANESE_F_LAST = names("""
    Sumiati, Rohaeti, Nurhayati, Kurniasih, Suryani, Komariah, Rosita, Maryani, Juariah,
    Rukmini, Hasanah, Marlina, Wulansari, Rosmiati, Herawati, Sukaesih, Nurjanah, Sumarni,
    Kartini, Cahyati, Rostika, Hayati, Mulyati, Jubaedah, Aisah, Rohayati, Solihat""")

BATAK_M = names("""
    Tigor, Parlindungan, Poltak, Hotman, Togar, Binsar, Martua, Sahat, Bonar, Jonggi, Maruli,
    Sabar, Darwin, Robert, Jansen, Hendrik, Manahan, Pardamean, Rudolf, Benny, Frans, Marihot,
    Bernard, Johannes, Patar, Torang, Halomoan, Lamhot, Monang, Horas, Rikardo, Alfred,
    David, Sabam, Mangatas, Parulian, Hasudungan, Tumpal""")
BATAK_F = names("""
    Rosmawati, Tiurma, Rotua, Romauli, Nurmala, Hotmaida, Sondang, Lamria, Dameria,
    Rosdiana, Ruth, Lasmaria, Mariana, Tiominar, Maria, Rosita, Debora, Erna, Ruslina,
    Rismawati, Tetty, Lenny, Rumondang, Masniari, Hotnida, Romasta, Tiaman, Nurhaida,
    Elfrida, Juliana, Dorma, Rosida, Nelly""")
MARGA = names("""
    Siregar, Nasution, Simanjuntak, Harahap, Lubis, Sinaga, Situmorang, Hutapea, Sitorus,
    Simatupang, Pardede, Panjaitan, Manurung, Hutagalung, Tambunan, Silalahi, Siahaan,
    Napitupulu, Pasaribu, Sihombing, Simbolon, Gultom, Marpaung, Sembiring, Ginting, Tarigan,
    Purba, Damanik, Saragih, Hasibuan, Batubara, Ritonga, Daulay, Hutabarat, Sianturi,
    Sitompul, Tampubolon, Butarbutar, Samosir, Sirait, Sidabutar, Naibaho, Lumbantobing,
    Hutauruk, Sihite, Aritonang, Rajagukguk, Pane, Rangkuti, Pohan""")

CHINESE_M = names("""
    Budi, Hendra, Andi, Yohanes, Felix, Kevin, Michael, William, Rudi, Johan, Steven,
    Vincent, Edi, Hendrik, Suryadi, Tony, Jimmy, Ricky, Robert, Hengky, Eddy, Alvin, Daniel,
    Jonathan, Anton""")
CHINESE_F = names("""
    Lanny, Lily, Susi, Linda, Yenny, Meliana, Jessica, Fenny, Lisa, Angeline, Shirley,
    Vivian, Elisabeth, Wenny, Erni, Lina, Siska, Sherly, Cindy, Merry, Tina, Juliana, Monica,
    Veronica, Stella, Debby, Melinda, Agustina""")
CHINESE_SURNAMES = names("""
    Gunawan, Wijaya, Halim, Salim, Tanoto, Kusuma, Tanuwijaya, Sutanto, Hartono, Santoso,
    Setiawan, Susanto, Widjaja, Setiadi, Gozali, Kurniawan, Tjandra, Wibisono, Hadiwijaya,
    Sugianto, Lukito, Budiman, Tanujaya, Tjahjadi, Liman, Hendrawan, Chandra, Sanjaya""")
CHINESE_M_SINGLE = names("""
    Hartono, Sugianto, Halim, Wijaya, Gunawan, Suryadi, Lukman, Hendrawan, Tjandra, Hermanto,
    Sudono, Rusdi""")
CHINESE_F_SINGLE = names("Lanny, Susanti, Lily, Meilani, Yuliana, Megawati, Lenny, Kurniati")
CLANS = names("""
    Tan, Lie, Liem, Oei, Go, Kwee, Ong, Tjoa, The, Ang, Sie, Lim, Kho, Gouw, Tjan, Njoo, Lauw,
    Tio, Khoe, Thio, Yap, Bong, Phang, Tjhin""")
CLAN_M = names("""
    Hok, Liong, Kim, Swie, Tjoen, Bing, Hong, Hoat, Gwan, Tiong, Hian, Seng, Kiat, Djie, Tek,
    Khing, Soen, Boen, Han, Tjie, Hwie, King""")
CLAN_F = names("""
    Siu, Lan, Mei, Hwa, Giok, Lian, Ing, Nio, Bwee, Kiem, Hoa, Ling, Sioe, Tjien, Fong, Yin""")

BALINESE_ORDER_M = names("Wayan, Made, Nyoman, Ketut, Putu, Kadek, Komang, Gede, Nengah")
BALINESE_ORDER_F = names("""
    Luh, Made, Wayan, Nyoman, Ketut, Putu, Kadek, Komang, Luh Putu, Luh Made, Nengah""")
BALINESE_M = names("""
    Sudarma, Suarta, Artana, Sukadana, Mertayasa, Widiana, Suparta, Arimbawa, Adnyana,
    Suardana, Budiarta, Sudiarsa, Wirawan, Astawa, Darmawan, Sutama, Mudana, Sujana, Sudana,
    Suweta, Arnawa, Sukerta, Merta, Swastika, Parwata, Suwirya, Sumerta, Suardika, Antara""")
BALINESE_F = names("""
    Sukarmi, Suartini, Ariani, Wulandari, Sriani, Kartini, Sudiani, Ayu Lestari, Ratna Dewi,
    Yuliani, Astiti, Widiastuti, Suciati, Darmini, Puspawati, Sumerti, Wardani, Sukerni,
    Suryani, Sariasih, Murniati, Mariani, Suarni, Wartini, Sudarmi, Rusmini, Sulasmi""")

MINANG_M = names("""
    Afrizal, Syafrizal, Yusrizal, Zulkifli, Fauzi, Hendri, Efendi, Yulizar, Jasman, Nasrul,
    Syafri, Erizal, Darman, Asril, Rusli, Zainal, Yusman, Alfian, Irwan, Dasril, Nofrizal,
    Masrizal, Yondri, Edwar, Syahril, Bustami, Anwar""")
MINANG_M_LAST = names("Saputra, Putra, Chaniago, Tanjung, Piliang, Koto, Sikumbang, Jambak")
MINANG_F = names("""
    Yusnimar, Nurhasanah, Rosmaniar, Yulianti, Desmawati, Erniwati, Asmiati, Fitriani,
    Nurlela, Rahmi, Yenti, Novita, Elfi, Rosnida, Zuraida, Wirda, Syafrida, Mardiah, Yusnita,
    Rosmaini, Nelmawati, Hasnah, Eliza, Nurbaiti, Yusnidar, Elvira, Desi""")
MINANG_F_LAST = names("Putri, Sari, Yanti, Susanti, Wahyuni, Rahmadani, Fitri, Novianti")

BUGIS_M = names("""
    Baharuddin, Syamsuddin, Nasruddin, Jamaluddin, Kamaruddin, Amiruddin, Hasanuddin,
    Syahrir, Arsyad, Yusuf, Ridwan, Rusdi, Jufri, Syamsul, Amir, Basri, Sudirman, Baso,
    Tahir, Haris, Akbar, Asri, Arifin, Muhlis, Hamzah, Kaharuddin, Firman, Mustari, Ilyas""")
BUGIS_M_LAST = names("Saleh, Tahir, Latif, Rasyid, Hamid, Syam, Sultan, Arief, Amin, Said")
BUGIS_F = names("""
    Hasnawati, Nurhaedah, Hasmiah, Nuraeni, Marlina, Hamsinah, Rosdiana, Jumriah, Haslinda,
    Sumarni, Nurjannah, Ramlah, Hadijah, Megawati, Hasniati, Suriani, Nurhayati, Irawati,
    Kasmawati, Hartati, Rahmatia, Nurmiati, Salmiah, Hasnah, Mardiana, Saenab, Besse, Nursiah""")
SITTI_NEXT = names("Aisyah, Hadijah, Fatimah, Rahmah, Nurhaeda, Maryam, Aminah, Nurbaya, Saleha")

MALAY_M = names("""
    Syahrial, Zulkarnain, Azhar, Rusli, Hamdan, Jamaluddin, Effendi, Syahrudin, Mahmud, Ramli,
    Hasan, Azwar, Sulaiman, Abdullah, Rahmat, Jamal, Firdaus, Khairuddin, Amran, Bahtiar,
    Darmawan, Hendri, Herman, Iskandar, Junaidi, Masri, Nasir, Rizal, Syamsul, Yusri""")
MALAY_M_LAST = names("Syahputra, Saputra, Putra, Effendi, Hamid, Ismail, Arifin, Bakar, Yusuf")
MALAY_F = names("""
    Rosnah, Zubaidah, Nurhayati, Salmah, Rohana, Mariam, Aisyah, Suriani, Rosmini, Halimah,
    Zaleha, Nurlela, Fatimah, Rosidah, Juriah, Samsiah, Asmah, Habibah, Hasnah, Normala,
    Rosnani, Yusnani, Zuraidah, Maimunah, Syarifah""")
MALAY_F_LAST = names("Sari, Wati, Yanti, Putri, Hayati, Rahmawati")

ACEH_M = names("""
    Zulfikar, Mukhtar, Husaini, Safrizal, Nasir, Fadli, Munir, Azhari, Ridwan, Iskandar,
    Mahdi, Razali, Muhibbuddin, Zulkifli, Yusri, Firdaus, Anwar, Jafar, Khalid, Marzuki,
    Saifuddin, Nurdin, Ilyas, Usman, Abubakar""")
ACEH_M_LAST = names("Ibrahim, Yusuf, Daud, Hasan, Ali, Ismail, Hanafiah, Abdullah, Amin, Harun")
ACEH_F = names("""
    Nurhayati, Rahmah, Fatimah, Salmiah, Zahara, Rosmiati, Nurjannah, Mariani, Hafsah,
    Syarifah, Nurmala, Marlina, Darmawati, Fitriani, Yusnidar, Safrida, Rosmaniar, Khairiah,
    Jamilah, Nuraini, Maisarah, Rauzah, Zuraida""")

SASAK_M = names("""
    Sahnan, Mahsun, Zaenal, Muhrim, Sahabudin, Zulkifli, Hairul, Safwan, Sukri, Muhdar,
    Jumaidi, Mahrup, Sahril, Rusdi, Hasanudin, Saparudin, Munawir, Juhaini, Lukman, Hamdi,
    Masnun, Sahli, Mursidi""")
SASAK_F = names("""
    Sumiati, Nurhasanah, Rohani, Saniah, Hurniati, Mahnah, Zaenab, Hikmah, Rahmi, Suhaini,
    Aminah, Sunarti, Hartini, Masnah, Kurniati, Nursiah, Rabiah, Hasanah, Fatimah, Marhamah,
    Hajrah, Juniati""")

CHRISTIAN_M = names("""
    Yohanes, Yosef, Petrus, Paulus, Markus, Fransiskus, Agustinus, Yakobus, Stefanus, Alfons,
    Simon, Daniel, Yusak, Melkianus, Lukas, Matius, Yulius, Kornelis, Dominikus, Benediktus,
    Aloysius, Laurensius, Hendrikus, Antonius, Marselinus, Arnoldus, Gabriel, Marthen,
    Ferdinand, Nikolaus, Vinsensius, Yeremias""")
CHRISTIAN_F = names("""
    Maria, Yohana, Magdalena, Theresia, Agustina, Yuliana, Veronika, Elisabeth, Margaretha,
    Fransiska, Katarina, Regina, Selfina, Martha, Yosefina, Adolfina, Florentina, Bernadeta,
    Emerensiana, Serafina, Anastasia, Kristina, Sofia, Ursula, Petronela, Wilhelmina,
    Oktaviana, Yasinta""")
NTT_FAMILIES = names("""
    Da Costa, Ndun, Tefa, Nenobais, Bria, Seran, Mau, Manafe, Lado, Fanggidae, Kase, Nahak,
    Lopo, Kause, Leki, Dima, Lake, Tallo, Messakh, Bere, Klau, Naif, Taolin, Ratu, Wuwur,
    Koten, Kelen, Making, Beda, Parera, Fernandez, Da Silva, Ximenes, Ledo, Riwu, Dethan, Pah,
    Amalo, Toda, Hurek, Wutun, Tukan, Goran""")
MINAHASA_M = names("""
    Jefri, Herry, Johny, Frangky, Stenly, Roy, Jemmy, Fendy, Alfrets, Hendrik, Ronald, Decky,
    Marthen, Yoppy, Jantje, Noldy, Reinhard, Rudy, Sonny, Tommy, Welly, Yance, Otniel, Arie""")
MINAHASA_F = names("""
    Meity, Vonny, Deisy, Olvie, Syane, Grace, Femmy, Lenny, Nova, Jeane, Marlyn, Rineke,
    Sherly, Telly, Ivone, Ribka, Yulin, Stela, Anneke, Hanna, Jenny, Mieke, Lientje""")
MINAHASA_FAMILIES = names("""
    Lumenta, Rumajar, Sumampouw, Tumbelaka, Mandagi, Pangemanan, Kaunang, Wowor, Lontoh,
    Rondonuwu, Lengkong, Supit, Rompas, Pinontoan, Tambuwun, Runtukahu, Walangitan, Mamahit,
    Sondakh, Lumanauw, Tangkilisan, Mantiri, Paat, Rumengan, Karamoy""")
MALUKU_M = names("""
    Johanis, Simon, Daniel, Alex, Frans, Yopi, Ferry, Elia, Abraham, Izaak, Jacob, Ronny,
    Semuel, Josias, Hendrik, Marthinus, Jefta, Benny""")
MALUKU_F = names("""
    Elisabeth, Yohana, Martha, Christina, Sara, Naomi, Lea, Debora, Ester, Magdalena, Maria,
    Agustina, Paulina, Yuliana, Welmince, Petronela""")
MALUKU_FAMILIES = names("""
    Pattinama, Latuheru, Pattiasina, Tuhumury, Sahetapy, Pelupessy, Matulessy, Leiwakabessy,
    Huwae, Siahaya, Tahapary, Lewerissa, Pattipeilohy, Manuputty, Wattimena, Tupamahu,
    Tanamal, Hetharia, Nanlohy, Lawalata, Pattikawa, Titaley, Ririmasse, Soplanit, Tuasikal,
    Ohorella, Marasabessy, Latuconsina, Tuanaya""")
PAPUA_M = names("""
    Yohanes, Yakob, Markus, Lukas, Simon, Daniel, Yonas, Yosua, Obed, Elias, Melkias,
    Nataniel, Abraham, Herman, Paulus, Demianus, Benny, Yulianus, Musa, Isak, Zakeus, Yafet""")
PAPUA_F = names("""
    Maria, Yohana, Martha, Debora, Ester, Naomi, Rut, Lea, Yuliana, Agustina, Salomina,
    Adolfina, Petronela, Dorkas, Ribka, Mince, Magdalena, Marice, Yosina, Rode, Yakomina""")
PAPUA_FAMILIES = names("""
    Wenda, Kogoya, Wanimbo, Tabuni, Yikwa, Rumbiak, Mandowen, Ayomi, Kambu, Karubaba,
    Rumaropen, Wonda, Murib, Kossay, Hegemur, Warinussy, Kareth, Sawor, Wetipo, Enembe, Mote,
    Pigai, Gobai, Douw, Tebai, Degei, Yogi, Kayame, Wakerkwa, Wandik, Magai, Gombo, Asso,
    Itlay, Rumainum, Mayor, Korwa, Wamafma, Kaisiepo, Mambrasar, Ndiken, Gebze, Mahuze, Kaize""")

MODERN_M = names("""
    Rizky, Dimas, Aditya, Bayu, Fajar, Reza, Rendy, Yoga, Dicky, Hendra, Irfan, Rian, Agung,
    Angga, Ferry, Andika, Arif, Dani, Doni, Galih, Guntur, Iqbal, Hendri, Fikri, Ilham""")
MODERN_M_LAST = names("""
    Pratama, Saputra, Nugraha, Setiawan, Firmansyah, Maulana, Hidayat, Prasetyo, Kurniawan,
    Wijaya, Gunawan, Permana, Ramadhan, Putra, Syahputra, Hermawan, Santoso, Nugroho,
    Febrianto, Kusuma, Purnama""")
MODERN_F = names("""
    Putri, Indah, Ayu, Rina, Novi, Fitri, Yulia, Wulan, Dian, Ratna, Lina, Maya, Nova, Eka,
    Mega, Intan, Ika, Dewi, Sari, Nia, Lia, Desi, Rani, Tika, Vina, Yuli, Anggi, Dina, Reni""")
MODERN_F_LAST = names("""
    Lestari, Sari, Handayani, Rahmawati, Susanti, Permata Sari, Puspita, Marlina, Wulandari,
    Anggraini, Kurniawati, Oktaviani, Safitri, Pratiwi, Puspitasari, Maharani, Ramadhani,
    Novitasari, Purnamasari, Fitriani, Amelia, Agustina, Utami, Kusumawati, Setiawati""")

CULTURES = {
    "javanese": Culture(
        male=templates((55, (JAVANESE_M,)), (45, (JAVANESE_M_FIRST, JAVANESE_M_LAST))),
        female=templates((45, (JAVANESE_F,)), (55, (JAVANESE_F_FIRST, JAVANESE_F_LAST))),
        honorifics=honorifics("Pak, Mas, Cak, Mbah", "Bu, Mbak, Mak, Mbok"),
    ),
    "arabic": Culture(
        male=templates(
            (20, ("Muhammad", MUHAMMAD_NEXT)),
            (4, ("Muhammad", ARABIC_M_FIRST, ARABIC_M_LAST)),
            (8, ("Ahmad", AHMAD_NEXT)),
            (7, ("Abdul", ABDUL_NEXT)),
            (36, (ARABIC_M_FIRST, ARABIC_M_LAST)),
            (25, (ARABIC_M,)),
        ),
        female=templates(
            (30, ("Siti", SITI_NEXT)),
            (5, ("Siti", "Nur", NUR_NEXT)),
            (12, ("Nur", NUR_NEXT)),
            (33, (ARABIC_F,)),
            (20, (ARABIC_F_FIRST, ARABIC_F_LAST)),
        ),
    ),
    "sundanese": Culture(
        male=templates((35, (SUNDANESE_M,)), (65, (SUNDANESE_M, SUNDANESE_M_LAST))),
        female=templates((35, (SUNDANESE_F,)), (65, (SUNDANESE_F, SUNDANESE_F_LAST))),
        honorifics=honorifics("Pak, Kang, Mang, Aa", "Bu, Teh, Ceu, Bi"),
    ),
    "batak": Culture(
        male=templates((80, (BATAK_M, FAMILY)), (20, (BATAK_M, BATAK_M, FAMILY))),
        female=templates((85, (BATAK_F, FAMILY)), (15, (BATAK_F, BATAK_F, FAMILY))),
        family=MARGA,
        muslim=False,
        honorifics=honorifics("Pak, Bang, Amang", "Bu, Kak, Inang"),
    ),
    "chinese": Culture(
        male=templates((75, (CHINESE_M, FAMILY)), (25, (CHINESE_M_SINGLE,))),
        female=templates((75, (CHINESE_F, FAMILY)), (25, (CHINESE_F_SINGLE,))),
        family=CHINESE_SURNAMES,
        muslim=False,
        honorifics=honorifics("Koh, Pak, Engkoh", "Cik, Bu, Cici"),
    ),
    "chinese_clan": Culture(
        male=templates((1, (FAMILY, CLAN_M, CLAN_M))),
        female=templates((1, (FAMILY, CLAN_F, CLAN_F))),
        family=CLANS,
        muslim=False,
        honorifics=honorifics("Koh, Pak, Engkoh", "Cik, Bu, Cici"),
    ),
    "balinese": Culture(
        male=templates(
            (88, ("I", BALINESE_ORDER_M, BALINESE_M)),
            (6, ("I Gusti Ngurah", BALINESE_M)),
            (4, ("Ida Bagus", BALINESE_M)),
            (2, ("Anak Agung", BALINESE_M)),
        ),
        female=templates(
            (88, ("Ni", BALINESE_ORDER_F, BALINESE_F)),
            (6, ("I Gusti Ayu", BALINESE_F)),
            (4, ("Ida Ayu", BALINESE_F)),
            (2, ("Anak Agung Istri", BALINESE_F)),
        ),
        muslim=False,
        honorifics=honorifics("Pak, Bli, Bapa", "Bu, Men, Mbok"),
    ),
    "minang": Culture(
        male=templates((65, (MINANG_M,)), (35, (MINANG_M, MINANG_M_LAST))),
        female=templates((70, (MINANG_F,)), (30, (MINANG_F, MINANG_F_LAST))),
        honorifics=honorifics("Pak, Uda, Ajo", "Bu, Uni, Amak"),
    ),
    "bugis": Culture(
        male=templates(
            (12, ("Andi", BUGIS_M)),
            (15, ("Muhammad", BUGIS_M)),
            (5, ("La Ode", BUGIS_M)),
            (48, (BUGIS_M,)),
            (20, (BUGIS_M, BUGIS_M_LAST)),
        ),
        female=templates(
            (10, ("Andi", BUGIS_F)),
            (15, ("Sitti", SITTI_NEXT)),
            (5, ("Wa Ode", BUGIS_F)),
            (70, (BUGIS_F,)),
        ),
        honorifics=honorifics("Pak, Daeng, Bang", "Bu, Daeng, Kak"),
    ),
    "malay": Culture(
        male=templates(
            (60, (MALAY_M,)), (30, (MALAY_M, MALAY_M_LAST)), (10, ("Muhammad", MALAY_M))
        ),
        female=templates((65, (MALAY_F,)), (25, (MALAY_F, MALAY_F_LAST)), (10, ("Siti", MALAY_F))),
        honorifics=honorifics("Pak, Bang, Wak", "Bu, Kak, Mak"),
    ),
    "acehnese": Culture(
        male=templates(
            (12, ("Teuku", ACEH_M)),
            (20, ("Muhammad", ACEH_M)),
            (50, (ACEH_M,)),
            (18, (ACEH_M, ACEH_M_LAST)),
        ),
        female=templates((10, ("Cut", ACEH_F)), (15, ("Nur", NUR_NEXT)), (75, (ACEH_F,))),
        honorifics=honorifics("Pak, Bang, Teungku", "Bu, Kak, Mak"),
    ),
    "sasak": Culture(
        male=templates((12, ("Lalu", SASAK_M)), (20, ("Muhammad", SASAK_M)), (68, (SASAK_M,))),
        female=templates((12, ("Baiq", SASAK_F)), (88, (SASAK_F,))),
    ),
    "ntt": Culture(
        male=templates((70, (CHRISTIAN_M, FAMILY)), (30, (CHRISTIAN_M, CHRISTIAN_M, FAMILY))),
        female=templates((70, (CHRISTIAN_F, FAMILY)), (30, (CHRISTIAN_F, CHRISTIAN_F, FAMILY))),
        family=NTT_FAMILIES,
        muslim=False,
    ),
    "minahasa": Culture(
        male=templates((80, (MINAHASA_M, FAMILY)), (20, (CHRISTIAN_M, MINAHASA_M, FAMILY))),
        female=templates((80, (MINAHASA_F, FAMILY)), (20, (CHRISTIAN_F, MINAHASA_F, FAMILY))),
        family=MINAHASA_FAMILIES,
        muslim=False,
    ),
    "maluku": Culture(
        male=templates((80, (MALUKU_M, FAMILY)), (20, (MALUKU_M, CHRISTIAN_M, FAMILY))),
        female=templates((80, (MALUKU_F, FAMILY)), (20, (MALUKU_F, CHRISTIAN_F, FAMILY))),
        family=MALUKU_FAMILIES,
        muslim=False,
    ),
    "papuan": Culture(
        male=templates((80, (PAPUA_M, FAMILY)), (20, (PAPUA_M, PAPUA_M, FAMILY))),
        female=templates((80, (PAPUA_F, FAMILY)), (20, (PAPUA_F, PAPUA_F, FAMILY))),
        family=PAPUA_FAMILIES,
        muslim=False,
    ),
    "modern": Culture(
        male=templates((80, (MODERN_M, MODERN_M_LAST)), (20, (MODERN_M, MODERN_M, MODERN_M_LAST))),
        female=templates(
            (80, (MODERN_F, MODERN_F_LAST)), (20, (MODERN_F, MODERN_F, MODERN_F_LAST))
        ),
    ),
}

# The naming traditions of each province's people, weighted; every province has some of
# the names found all over the country (arabic, modern, javanese).
JAVA_MIX = {
    "javanese": 58,
    "arabic": 20,
    "modern": 15,
    "chinese": 3,
    "chinese_clan": 1,
    "sundanese": 3,
}
WEST_JAVA_MIX = {
    "sundanese": 50,
    "arabic": 20,
    "modern": 15,
    "javanese": 11,
    "chinese": 3,
    "chinese_clan": 1,
}
BANTEN_MIX = {
    "sundanese": 35,
    "arabic": 30,
    "modern": 18,
    "javanese": 13,
    "chinese": 3,
    "chinese_clan": 1,
}
JAKARTA_MIX = {
    "modern": 25,
    "arabic": 22,
    "javanese": 18,
    "sundanese": 10,
    "chinese": 8,
    "chinese_clan": 2,
    "batak": 7,
    "minang": 4,
    "minahasa": 2,
    "bugis": 2,
}
MALAY_MIX = {
    "malay": 32,
    "arabic": 22,
    "javanese": 18,
    "modern": 15,
    "minang": 5,
    "batak": 3,
    "chinese": 3,
    "chinese_clan": 2,
}
ISLANDS_MIX = {**MALAY_MIX, "chinese": 8, "chinese_clan": 6}
KALIMANTAN_MIX = {
    "arabic": 28,
    "malay": 22,
    "javanese": 20,
    "modern": 15,
    "bugis": 8,
    "chinese": 4,
    "chinese_clan": 1,
    "ntt": 2,
}
SULAWESI_MIX = {"bugis": 45, "arabic": 25, "modern": 18, "javanese": 8, "minahasa": 2, "chinese": 2}
PAPUA_MIX = {"papuan": 55, "maluku": 8, "bugis": 10, "javanese": 10, "modern": 10, "ntt": 7}
PROVINCE_CULTURES = {
    "11": {"acehnese": 60, "arabic": 15, "modern": 12, "malay": 8, "javanese": 3, "batak": 2},
    "12": {
        "batak": 45, "javanese": 15, "arabic": 13, "malay": 10, "modern": 8, "chinese": 5,
        "chinese_clan": 4,
    },
    "13": {"minang": 62, "arabic": 18, "modern": 12, "javanese": 5, "batak": 3},
    "14": MALAY_MIX, "15": MALAY_MIX, "16": MALAY_MIX, "17": MALAY_MIX,
    "18": {"javanese": 40, "arabic": 20, "modern": 15, "malay": 12, "sundanese": 8, "chinese": 5},
    "19": ISLANDS_MIX, "21": ISLANDS_MIX,
    "31": JAKARTA_MIX, "32": WEST_JAVA_MIX, "33": JAVA_MIX, "34": JAVA_MIX, "35": JAVA_MIX,
    "36": BANTEN_MIX,
    "51": {"balinese": 85, "javanese": 6, "arabic": 4, "modern": 5},
    "52": {"sasak": 60, "arabic": 15, "modern": 12, "balinese": 6, "bugis": 7},
    "53": {"ntt": 78, "arabic": 7, "modern": 8, "bugis": 4, "balinese": 3},
    "61": {
        "malay": 35, "chinese_clan": 12, "chinese": 6, "arabic": 15, "modern": 14,
        "javanese": 10, "ntt": 8,
    },
    "62": KALIMANTAN_MIX, "63": KALIMANTAN_MIX, "64": KALIMANTAN_MIX, "65": KALIMANTAN_MIX,
    "71": {"minahasa": 65, "arabic": 12, "modern": 15, "chinese": 4, "bugis": 4},
    "72": SULAWESI_MIX, "74": SULAWESI_MIX, "75": SULAWESI_MIX, "76": SULAWESI_MIX,
    "73": {"bugis": 65, "arabic": 14, "modern": 15, "javanese": 3, "chinese": 3},
    "81": {"maluku": 55, "arabic": 25, "modern": 12, "bugis": 8},
    "82": {"arabic": 45, "maluku": 25, "modern": 18, "bugis": 12},
    "91": PAPUA_MIX, "92": PAPUA_MIX, "93": PAPUA_MIX, "94": PAPUA_MIX, "95": PAPUA_MIX,
    "96": PAPUA_MIX,
}  # fmt: skip

# Telkomsel first, as in the market; all are mobile prefixes after +62.
PHONE_PREFIXES = names("""
    812, 813, 821, 852, 822, 853, 811, 857, 856, 878, 877, 896, 895, 838, 831, 858, 815, 817,
    818, 819, 851, 881, 882, 887, 888, 832, 859, 855, 898, 897, 814""")

# Addresses: a form, then how its words, house number and RT/RW are written.
ADDRESS_FORMS = Choice([(45, "jalan"), (25, "dusun"), (15, "gang"), (8, "perum"), (7, "kampung")])
ADDRESS_WORDS = {
    "jalan": ("Jl.", "Jalan", "Jln.", "JL."),
    "dusun": ("Dusun", "Dsn.", "Dsn"),
    "gang": ("Gg.", "Gang", "Gg"),
    "perum": ("Perum", "Perumahan", "Komp."),
    "kampung": ("Kp.", "Kampung", "Kmp."),
}
# Share of addresses of each form with a house number, and with RT/RW.
ADDRESS_PARTS = {
    "jalan": (0.85, 0.7),
    "dusun": (0.0, 0.95),
    "gang": (0.9, 0.4),
    "perum": (1.0, 0.3),
    "kampung": (0.1, 0.95),
}
NUMBER_FORMATS = ("No. {}", "No.{}", "no {}", "{}")
RT_RW_FORMATS = (
    "RT {rt:03d}/RW {rw:03d}",
    "RT {rt} RW {rw}",
    "RT.{rt:02d}/RW.{rw:02d}",
    "RT {rt:02d} / RW {rw:02d}",
    "Rt.{rt} Rw.{rw}",
    "RT {rt}/{rw}",
)
STREETS = names("""
    Merdeka, Sudirman, Diponegoro, Ahmad Yani, Gatot Subroto, Pahlawan, Veteran, Pemuda,
    Kartini, Imam Bonjol, Gajah Mada, Hayam Wuruk, Pattimura, Hasanuddin, Sisingamangaraja,
    Teuku Umar, Cut Nyak Dien, Soekarno-Hatta, Kenanga, Melati, Anggrek, Cendrawasih,
    Rajawali, Kutilang, Nusantara, Pramuka, Sultan Agung, Dr. Sutomo, Wahid Hasyim,
    KH. Ahmad Dahlan, Sam Ratulangi, Basuki Rahmat, Urip Sumoharjo, Raden Saleh,
    Ki Hajar Dewantara, Pasar, Masjid, Stasiun, Lingkar, Perintis Kemerdekaan""")
HAMLETS = names("""
    Krajan, Kidul, Lor, Wetan, Kulon, Tengah, Karanganyar, Sukamaju, Sukamulya, Sidomulyo,
    Sumberrejo, Mekarsari, Tegalsari, Ngemplak, Jatirejo, Banjarsari, Kebonagung,
    Margomulyo, Babakan, Kauman, Gondang, Sidorejo, Purwosari, Kedungrejo, Wonosari, Bendo""")
LANES = names("""
    Mawar, Melati, Kenanga, Anggrek, Dahlia, Flamboyan, Cempaka, Kamboja, Masjid, Buntu,
    Damai, Sentosa, Mushola, Mangga, Rambutan, Jambu, Nangka, Kelapa, Bambu, Swadaya,
    Sepakat, Rukun, Bahagia, Langgar, Sawo, Delima, Belimbing""")
KAMPUNGS = names("""
    Babakan, Cikaret, Cimanggu, Sukasari, Cibodas, Sindangsari, Legok, Ciherang, Pabuaran,
    Parung, Bojong, Cijambe, Sawah, Pulo, Duri, Kebon Kopi, Cibeureum, Pasirjaya""")
ESTATES_FIRST = names("Griya, Graha, Bumi, Taman, Villa, Puri, Pondok, Citra")
ESTATES_LAST = names("Asri, Indah, Permai, Lestari, Sejahtera, Harapan, Mas, Kencana, Mutiara")

# Businesses: a stall named after its owner, a shop with a name of good fortune, a product
# of the village, or a trade.
BUSINESS_FORMS = Choice(
    [(22, "warung"), (15, "food"), (25, "shop"), (20, "product"), (13, "trade"), (5, "plain")]
)
FOODS = names("""
    Bakso, Soto, Pecel, Nasi Uduk, Gado-Gado, Mie Ayam, Pempek, Sate, Nasi Goreng, Rujak,
    Martabak, Seblak, Lontong Sayur, Ayam Geprek, Gorengan, Es Campur""")
SHOP_KINDS = Choice([(40, "UD"), (40, "Toko"), (20, "CV")])
FORTUNE_FIRST = names("""
    Sinar, Sumber, Maju, Berkah, Karya, Mitra, Cahaya, Mulia, Tunas, Rejeki, Bintang, Surya,
    Harapan, Anugerah, Putra, Mekar""")
FORTUNE_LAST = names("""
    Jaya, Makmur, Abadi, Sejahtera, Mandiri, Rezeki, Barokah, Sentosa, Utama, Baru, Lestari,
    Bersama, Agung, Indah, Murni""")
PRODUCTS = names("""
    Keripik Tempe, Keripik Singkong, Keripik Pisang, Kerupuk Ikan, Kerupuk Udang, Batik,
    Tenun, Dodol, Madu, Kopi Bubuk, Emping Melinjo, Rengginang, Jamu, Kue Kering, Abon Ikan,
    Tahu, Sambal, Anyaman Bambu, Gula Aren""")
TRADES = names("Penjahit, Bengkel, Salon, Konveksi, Laundry, Fotokopi, Pangkas Rambut, Katering")
SHOP_PREFIXES = ("UD", "UD.", "U.D.", "CV", "CV.", "Toko", "PD")
BUSINESS_SPELLINGS = {
    "Keripik": ("Kripik",),
    "Kerupuk": ("Krupuk",),
    "Rezeki": ("Rejeki", "Rizki"),
    "Rejeki": ("Rezeki", "Rejeky"),
    "Barokah": ("Berkah", "Barakah"),
    "Berkah": ("Barokah",),
    "Sejahtera": ("Sejahtra",),
    "Makmur": ("Makmoer",),
    "Jaya": ("Djaja", "Jaja"),
    "Sentosa": ("Sentausa",),
    "Bu": ("Ibu",),
    "Pak": ("Bapak",),
    "Mbak": ("Mba",),
    "Bakso": ("Baso",),
    "Mie": ("Mi",),
    "Gado-Gado": ("Gado Gado",),
    "Kue": ("Kueh",),
    "Fotokopi": ("Foto Copy",),
    "Katering": ("Catering",),
    "Laundry": ("Londri",),
}
# Names that say nothing of how a person is called ("I Wayan Sudarma" is Pak Wayan).
NOT_CALLED = frozenset(
    words("""
    I, Ni, Luh, Gusti, Ngurah, Ida, Bagus, Anak, Agung, Istri, Ayu, Andi, Teuku, Cut, Lalu,
    Baiq, La, Wa, Ode, Muhammad, Abdul""")
) | frozenset(CLANS.items)

# Name corruptions.
KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
OLD_SPELLINGS = (  # order matters: "j" becomes "dj" before "y" becomes "j"
    (re.compile("J"), "Dj"),
    (re.compile("j"), "dj"),
    (re.compile("C(?!h)"), "Tj"),
    (re.compile("c(?!h)"), "tj"),
    (re.compile("Sy"), "Sj"),
    (re.compile("sy"), "sj"),
    (re.compile("Y"), "J"),
    (re.compile("y"), "j"),
    (re.compile("Kh"), "Ch"),
    (re.compile("kh"), "ch"),
    (re.compile("U"), "Oe"),
    (re.compile("u"), "oe"),
)
OLD_SPELLING_ANY = re.compile("[JjYyUu]|[Cc](?!h)|[Kk]h")
MUHAMMAD_SPELLINGS = Choice.zipf(
    ["M.", "Moch.", "Mohammad", "Muh.", "Mohamad", "Muhamad", "Moh.", "Mochammad", "Mhd."]
)
TITLES_BEFORE = {
    ("L", True): ("H.", "H.", "Drs.", "Ir.", "Bapak", "Dr."),
    ("L", False): ("Drs.", "Ir.", "Bapak", "Dr."),
    ("P", True): ("Hj.", "Hj.", "Dra.", "Ir.", "Ibu"),
    ("P", False): ("Dra.", "Ir.", "Ibu"),
}
TITLES_AFTER = (", S.E.", ", S.Pd.", " S.Pd", ", S.H.", ", S.Sos.", ", A.Md.", ", S.Ag.")
MIDDLE_NAMES = {
    "L": ("Adi", "Dwi", "Eka", "Nur", "Budi", "Tri", "Putra", "Hadi", "Wahyu"),
    "P": ("Dwi", "Nur", "Eka", "Sri", "Tri", "Ayu", "Dewi", "Putri", "Indah"),
}


def neighbours():
    """Letters next to each letter on a QWERTY keyboard (rows are staggered)."""
    offsets = (0.0, 0.25, 0.75)
    keys = [
        (letter, row, column + offsets[row])
        for row, letters in enumerate(KEYBOARD)
        for column, letter in enumerate(letters)
    ]
    return {
        letter: "".join(
            other
            for other, other_row, other_x in keys
            if other != letter and abs(other_row - row) <= 1 and abs(other_x - x) <= 1
        )
        for letter, row, x in keys
    }


NEIGHBOURS = neighbours()


@dataclass(frozen=True)
class Villages:
    """The packaged villages, indexed for picking one by province or by regency."""

    codes: list
    names: list
    by_province: dict
    by_regency: dict


@lru_cache(maxsize=1)
def villages():
    """Read once per process: about 84,000 villages in 0.1 s."""
    codes, names_, by_province, by_regency = [], [], {}, {}
    for index, (code, _, name) in enumerate(read_rows("villages")):
        codes.append(code)
        names_.append(name)
        by_province.setdefault(code[:2], []).append(index)
        by_regency.setdefault(code[:5], []).append(index)
    return Villages(codes, names_, by_province, by_regency)


@dataclass(slots=True)
class Person:
    """A real person: every record of them starts from these values."""

    truth_id: str
    culture: Culture
    name: str
    family: str
    sex: str
    born: date
    nik: str
    phone: str
    village: int
    address: tuple
    address_style: tuple
    business: str


def generate_people(n: int, *, seed: int = 0, duplicate_share: float = 0.2) -> list[tuple]:
    """`n` rows in PEOPLE_COLUMNS order, in random order; the same for the same seed."""
    return generate_people_labelled(n, seed=seed, duplicate_share=duplicate_share)[0]


def generate_people_labelled(n, *, seed=0, duplicate_share=0.2):
    """The rows of `generate_people` and, for each row, the corruptions (kinds of
    CORRUPTIONS) that made it; a person's first record has none."""
    if not 0 <= duplicate_share <= 0.75:
        raise ValueError("duplicate_share must be between 0 and 0.75 (3 extra records each)")
    # A quarter of the rows at least are first records, so that nobody needs more than 3 extra.
    extras = min(round(n * duplicate_share), n * 3 // 4)
    return Generator(Random(seed), villages()).rows(n, extras)


def write_csv(path, rows, columns=PEOPLE_COLUMNS) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(rows)


class Generator:
    """People, one after another, and their records; `rows` is the only way in."""

    def __init__(self, rng, villages):
        self.rng = rng
        self.villages = villages
        self.serials = {}
        provinces = [code for code in PROVINCE_WEIGHTS if code in villages.by_province]
        self.provinces = provinces
        self.province_weights = list(itertools.accumulate(PROVINCE_WEIGHTS[p] for p in provinces))
        self.cultures = {
            province: Choice((weight, CULTURES[key]) for key, weight in mix.items())
            for province, mix in PROVINCE_CULTURES.items()
        }
        self.first_birth = FIRST_BIRTH.toordinal()
        self.last_birth = LAST_BIRTH.toordinal()
        self.common_birth = COMMON_BIRTH.toordinal()

    def rows(self, n, extras):
        """`n` shuffled rows, `extras` of them extra records, with record ids and labels."""
        rng = self.rng
        people = n - extras
        counts = self.extra_counts(people, extras)
        provinces = rng.choices(self.provinces, cum_weights=self.province_weights, k=people)
        relation = (
            FAMILY_SHARE,
            FAMILY_SHARE + TWIN_SHARE,
            FAMILY_SHARE + TWIN_SHARE + NAMESAKE_SHARE,
        )
        rows, person = [], None
        for number in range(people):
            truth_id = f"p{number + 1:06d}"
            draw = rng.random()
            if person is None or draw >= relation[2]:
                person = self.person_new(truth_id, provinces[number])
            elif draw < relation[0]:
                person = self.relative(truth_id, person)
            elif draw < relation[1]:
                person = self.relative(truth_id, person, twin=True)
            else:
                person = self.namesake(truth_id, person)
            rows.append(self.first_record(person))
            for _ in range(counts[number]):
                rows.append(self.duplicate(person))
        rng.shuffle(rows)
        labels = []
        for index, row in enumerate(rows):
            rows[index] = (f"r{index + 1:06d}", *row[:-1])
            labels.append(row[-1])
        return rows, labels

    def extra_counts(self, people, extras):
        """How many extra records each person has (0-3), adding up to `extras`."""
        rng, counts = self.rng, bytearray(people)
        sizes = Choice((weight, size) for size, weight in EXTRA_RECORDS)
        while extras > 0:
            for number in rng.sample(range(people), people):
                room = 3 - counts[number]
                if room:
                    more = min(sizes.pick(rng), room, extras)
                    counts[number] += more
                    extras -= more
                    if not extras:
                        break
        return counts

    def person_new(self, truth_id, province):
        rng = self.rng
        sex = "P" if rng.random() < FEMALE_SHARE else "L"
        culture = self.cultures[province].pick(rng)
        name, family = culture.name(rng, sex)
        village = rng.choice(self.villages.by_province[province])
        born = self.birth_date()
        address, style = self.address_new(village)
        return Person(
            truth_id=truth_id,
            culture=culture,
            name=name,
            family=family,
            sex=sex,
            born=born,
            nik=self.nik(village, born, sex),
            phone=self.phone(),
            village=village,
            address=address,
            address_style=style,
            business=self.business(culture, name, sex, village),
        )

    def relative(self, truth_id, of, twin=False):
        """A family member of `of`: same household address and surname, often the same
        phone, never the same name; a twin also shares the birth date."""
        rng = self.rng
        sex = "P" if rng.random() < 0.5 else "L"
        name, family = of.culture.name(rng, sex, of.family)
        while name == of.name:
            name, family = of.culture.name(rng, sex, of.family)
        born = of.born if twin else self.relative_birth_date(of.born)
        own_business = rng.random() >= SHARED_BUSINESS
        return Person(
            truth_id=truth_id,
            culture=of.culture,
            name=name,
            family=family,
            sex=sex,
            born=born,
            nik=self.nik(of.village, born, sex),
            phone=of.phone if rng.random() < SHARED_PHONE else self.phone(),
            village=of.village,
            address=of.address,
            address_style=of.address_style,
            business=(
                self.business(of.culture, name, sex, of.village) if own_business else of.business
            ),
        )

    def namesake(self, truth_id, of):
        """Another person of the same name and sex in the same regency."""
        rng = self.rng
        village = rng.choice(self.villages.by_regency[self.villages.codes[of.village][:5]])
        born = self.birth_date()
        address, style = self.address_new(village)
        return Person(
            truth_id=truth_id,
            culture=of.culture,
            name=of.name,
            family=of.family,
            sex=of.sex,
            born=born,
            nik=self.nik(village, born, of.sex),
            phone=self.phone(),
            village=village,
            address=address,
            address_style=style,
            business=self.business(of.culture, of.name, of.sex, village),
        )

    def birth_date(self):
        day = self.rng.triangular(self.first_birth, self.last_birth + 1, self.common_birth)
        return date.fromordinal(int(day))

    def relative_birth_date(self, born):
        """A child 20-35 years younger (or a parent as much older), or a spouse or sibling
        up to 8 years apart, within the birth years of the data."""
        rng, ordinal = self.rng, born.toordinal()
        child = int((20 + rng.random() * 15) * 365.25)
        spouse = 1 + int(rng.random() * 8 * 365.25)
        steps = (child, -child, spouse, -spouse) if rng.random() < 0.4 else (spouse, -spouse)
        days = (ordinal + step for step in steps)
        return date.fromordinal(next(d for d in days if self.first_birth <= d <= self.last_birth))

    def nik(self, village, born, sex):
        """District of the village, DDMMYY (+40 on the day for women), then the next serial
        for that district and birth date."""
        district = self.villages.codes[village][:8].replace(".", "")
        mmyy = f"{born.month:02d}{born.year % 100:02d}"
        key = f"{district}{born.day:02d}{mmyy}"
        serial = self.serials[key] = self.serials.get(key, 0) + 1
        day = born.day + 40 if sex == "P" else born.day
        return f"{district}{day:02d}{mmyy}{serial:04d}"

    def phone(self):
        rng = self.rng
        digits = 10_000_000 if rng.random() < 0.7 else 1_000_000
        return f"+62{PHONE_PREFIXES.pick(rng)}{digits + int(rng.random() * 9 * digits)}"

    def address_new(self, village):
        rng = self.rng
        form = ADDRESS_FORMS.pick(rng)
        has_number, has_rt = ADDRESS_PARTS[form]
        if form == "jalan":
            name = STREETS.pick(rng)
            if rng.random() < 0.15:
                name = f"Raya {self.villages.names[village]}"
        elif form == "dusun":
            name = HAMLETS.pick(rng)
        elif form == "gang":
            name = LANES.pick(rng)
        elif form == "kampung":
            name = KAMPUNGS.pick(rng)
        else:
            block = f"{'ABCDEFGH'[int(rng.random() * 8)]}{1 + int(rng.random() * 20)}"
            name = f"{ESTATES_FIRST.pick(rng)} {ESTATES_LAST.pick(rng)} Blok {block}"
        number = 1 + int(rng.random() * (40 if form == "gang" else 150))
        rt, rw = 1 + int(rng.random() * 15), 1 + int(rng.random() * 12)
        address = (
            form,
            name,
            number if rng.random() < has_number else 0,
            rt if rng.random() < has_rt else 0,
            rw,
        )
        word = 0 if rng.random() < 0.8 else int(rng.random() * len(ADDRESS_WORDS[form]))
        number_style = 3 if form == "gang" and rng.random() < 0.6 else int(rng.random() * 3)
        style = (word, number_style, int(rng.random() * len(RT_RW_FORMATS)))
        return address, style

    def business(self, culture, name, sex, village):
        rng = self.rng
        form = BUSINESS_FORMS.pick(rng)
        if form == "shop":
            return f"{SHOP_KINDS.pick(rng)} {FORTUNE_FIRST.pick(rng)} {FORTUNE_LAST.pick(rng)}"
        if form == "plain":
            return f"{FORTUNE_FIRST.pick(rng)} {FORTUNE_LAST.pick(rng)}"
        if form == "product":
            return f"{PRODUCTS.pick(rng)} {self.villages.names[village]}"
        called = next((part for part in name.split() if part not in NOT_CALLED), name)
        if form == "trade":
            return f"{TRADES.pick(rng)} {called}"
        honorific = culture.honorific(rng, sex)
        if form == "warung":
            return f"Warung {honorific} {called}"
        return f"{FOODS.pick(rng)} {honorific} {called}"

    def first_record(self, person):
        rng = self.rng
        blank = FIRST_RECORD_BLANKS
        return (
            person.truth_id,
            "" if rng.random() < blank["nik"] else person.nik,
            person.name,
            "" if rng.random() < blank["birth_date"] else person.born.isoformat(),
            "" if rng.random() < blank["sex"] else person.sex,
            "" if rng.random() < blank["phone"] else person.phone,
            ""
            if rng.random() < blank["address"]
            else address_text(*person.address_style, *person.address),
            self.villages.codes[person.village],
            "" if rng.random() < blank["business_name"] else person.business,
            (),
        )

    def corruption_kinds(self, person):
        """1-3 kinds of CORRUPTIONS that can spoil this person's record."""
        rng = self.rng
        applicable = self.applicable(person)
        kinds = []
        for group in DRAW_GROUPS:
            draw, edge = rng.random(), 0.0
            for kind in group:
                edge += CORRUPTIONS[kind]
                if draw < edge:
                    if kind in applicable:
                        kinds.append(kind)
                    break
        if not kinds:
            candidates = [kind for kind in CORRUPTIONS if kind in applicable]
            weights = [CORRUPTIONS[kind] for kind in candidates]
            kinds = rng.choices(candidates, weights)
        elif len(kinds) > MAX_CORRUPTIONS:
            kept = rng.sample(kinds, MAX_CORRUPTIONS)
            kinds = [kind for kind in kinds if kind in kept]
        return kinds

    def applicable(self, person):
        kinds = set(ALWAYS_APPLICABLE)
        if "Muhammad" in person.name:
            kinds.add("muhammad")
        if OLD_SPELLING_ANY.search(person.name):
            kinds.add("old_spelling")
        if " " in person.name:
            kinds.update(("name_order", "middle_name"))
        if person.born.day <= 12 and person.born.day != person.born.month:
            kinds.add("birth_date_swap")
        if len(self.villages.by_regency[self.villages.codes[person.village][:5]]) > 1:
            kinds.add("moved_village")
        return kinds

    def duplicate(self, person):
        """Another record of `person`, spoiled in 1-3 ways and labelled with those that
        changed it."""
        record = {
            "nik": person.nik,
            "name": person.name,
            "birth_date": person.born.isoformat(),
            "phone": person.phone,
            "address": address_text(*person.address_style, *person.address),
            "village": person.village,
            "business_name": person.business,
        }
        kinds = []
        for kind in self.corruption_kinds(person):
            changes = self.spoiled(kind, person, record)
            if any(record[field] != value for field, value in changes.items()):
                record.update(changes)
                kinds.append(kind)
        return (
            person.truth_id,
            record["nik"],
            record["name"],
            record["birth_date"],
            person.sex,
            record["phone"],
            record["address"],
            self.villages.codes[record["village"]],
            record["business_name"],
            tuple(kinds),
        )

    def spoiled(self, kind, person, record):
        """The fields of `record` that one corruption changes, with their new values."""
        rng, name, born = self.rng, record["name"], person.born
        if kind == "muhammad":
            return {"name": name.replace("Muhammad", MUHAMMAD_SPELLINGS.pick(rng), 1)}
        if kind == "middle_name":
            return {"name": middle_name_changed(rng, name, person.sex)}
        if kind == "name_order":
            parts = name.split()
            return {"name": " ".join(parts[-1:] + parts[:-1])}
        if kind == "old_spelling":
            return {"name": old_spelling(rng, name)}
        if kind == "name_typo":
            return {"name": typo(rng, name)}
        if kind == "title":
            return {"name": titled(rng, name, person.sex, person.culture.muslim)}
        if kind == "nik_missing":
            return {"nik": ""}
        if kind == "nik_typo":
            return {"nik": digit_typo(rng, record["nik"])}
        if kind == "birth_date_missing":
            return {"birth_date": ""}
        if kind == "birth_date_swap":
            return {"birth_date": born.replace(day=born.month, month=born.day).isoformat()}
        if kind == "birth_date_off":
            return {"birth_date": date_off(rng, born).isoformat()}
        if kind == "phone_new":
            return {"phone": self.phone()}
        if kind == "phone_missing":
            return {"phone": ""}
        if kind == "moved_village":
            village = self.village_moved(record["village"])
            address, style = self.address_new(village)
            return {"village": village, "address": address_text(*style, *address)}
        if kind == "address_rewrite":
            return {"address": address_rewritten(rng, person.address, person.address_style)}
        return {"business_name": business_variant(rng, record["business_name"])}

    def village_moved(self, village):
        """Another village of the same regency."""
        rng = self.rng
        choices = self.villages.by_regency[self.villages.codes[village][:5]]
        moved = village
        while moved == village:
            moved = rng.choice(choices)
        return moved


# Kinds grouped for drawing, in the order they are applied to a record: the spelling of
# "Muhammad" before old spelling turns its "u" into "oe", typos before titles.
DRAW_GROUPS = (
    ("muhammad",),
    ("middle_name",),
    ("name_order",),
    ("old_spelling",),
    ("name_typo",),
    ("title",),
    *EXCLUSIVE,
    ("business_variant",),
)
ALWAYS_APPLICABLE = (
    "name_typo",
    "title",
    "nik_missing",
    "nik_typo",
    "birth_date_missing",
    "birth_date_off",
    "phone_new",
    "phone_missing",
    "address_rewrite",
    "business_variant",
)


def address_text(word, number_style, rt_style, form, name, number, rt, rw):
    text = f"{ADDRESS_WORDS[form][word]} {name}"
    if number:
        text += " " + NUMBER_FORMATS[number_style].format(number)
    if rt:
        text += " " + RT_RW_FORMATS[rt_style].format(rt=rt, rw=rw)
    return text


def address_rewritten(rng, address, style):
    """The same address written another way: Jl./Jalan, RT/RW format, a part left out."""
    form, name, number, rt, rw = address
    original = address_text(*style, *address)
    while True:
        if number and rng.random() < 0.15:
            number = 0
        elif rt and rng.random() < 0.15:
            rt = 0
        word = int(rng.random() * len(ADDRESS_WORDS[form]))
        new_style = (word, int(rng.random() * 4), int(rng.random() * len(RT_RW_FORMATS)))
        text = address_text(*new_style, form, name, number, rt, rw)
        if text != original:
            return text


def typo(rng, name):
    """One keyboard slip in a lower-case letter: a neighbour key, a letter lost, two
    letters swapped, or a letter doubled."""
    letters = [i for i, char in enumerate(name) if "a" <= char <= "z"]
    while True:
        i = rng.choice(letters)
        slip = int(rng.random() * 4)
        if slip == 0:
            return name[:i] + rng.choice(NEIGHBOURS[name[i]]) + name[i + 1 :]
        if slip == 1 and len(letters) > 3:
            return name[:i] + name[i + 1 :]
        if slip == 2 and i + 1 < len(name) and name[i + 1] != name[i] and name[i + 1].islower():
            return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if slip == 3:
            return name[: i + 1] + name[i:]


def old_spelling(rng, name):
    """The name in the spelling before 1972 (Soetrisno, Djoko, Tjahjono, Sjarif, Chairul),
    some of its rules or all of them."""
    rules = [(pattern, old) for pattern, old in OLD_SPELLINGS if pattern.search(name)]
    if not rules:
        return name
    chosen = [rule for rule in rules if rng.random() < 0.7] or [rng.choice(rules)]
    for pattern, old in chosen:
        name = pattern.sub(old, name)
    return name


def titled(rng, name, sex, muslim):
    """The name with a title: Haji, a degree, or Bapak/Ibu."""
    draw = rng.random()
    before = rng.choice(TITLES_BEFORE[sex, muslim])
    after = rng.choice(TITLES_AFTER)
    if draw < 0.6:
        return f"{before} {name}"
    if draw < 0.9:
        return f"{name}{after}"
    return f"{before} {name}{after}"


def middle_name_changed(rng, name, sex):
    """A middle name left out, or one added to a two-part name."""
    parts = name.split()
    if len(parts) > 2:
        del parts[1 + int(rng.random() * (len(parts) - 2))]
    else:
        middle = [part for part in MIDDLE_NAMES[sex] if part not in parts]
        parts.insert(1, rng.choice(middle))
    return " ".join(parts)


def digit_typo(rng, nik):
    """One digit changed, or (a third of the time) two neighbouring digits swapped."""
    while True:
        i = int(rng.random() * 15)
        if rng.random() < 1 / 3:
            if nik[i] != nik[i + 1]:
                return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]
        else:
            digit = rng.choice([d for d in "0123456789" if d != nik[i]])
            return nik[:i] + digit + nik[i + 1 :]


def date_off(rng, born):
    """A day or a year out."""
    step = 1 if rng.random() < 0.5 else -1
    if rng.random() < 0.5:
        try:
            return born.replace(year=born.year + step)
        except ValueError:  # 29 February
            pass
    return born + timedelta(days=step)


def business_variant(rng, business):
    """The business name as someone else writes it: a legal form added, dropped or
    changed, another spelling, or capitals."""
    words = business.split()
    respelled = [i for i, word in enumerate(words) if word in BUSINESS_SPELLINGS]
    while True:
        draw = int(rng.random() * 4)
        if draw == 0 and words[0] in SHOP_PREFIXES:
            other = [prefix for prefix in SHOP_PREFIXES if prefix != words[0]] + [""]
            return " ".join([rng.choice(other), *words[1:]]).strip()
        if draw == 1 and words[0] not in SHOP_PREFIXES:
            return f"{rng.choice(('UD', 'Toko', 'CV', 'UD.'))} {business}"
        if draw == 2 and respelled:
            i = rng.choice(respelled)
            return " ".join([*words[:i], rng.choice(BUSINESS_SPELLINGS[words[i]]), *words[i + 1 :]])
        if draw == 3 and business != business.upper():
            return business.upper()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="number of rows")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--duplicate-share", type=float, default=0.2)
    parser.add_argument("--out", required=True, help="CSV file to write")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    villages()
    loaded = time.perf_counter()
    rows, labels = generate_people_labelled(
        args.size, seed=args.seed, duplicate_share=args.duplicate_share
    )
    generated = time.perf_counter()
    write_csv(args.out, rows)
    written = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    duplicates = sum(1 for kinds in labels if kinds)
    kinds = Counter(kind for row_kinds in labels for kind in row_kinds)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(
        f"{len(rows):,} rows ({duplicates:,} extra records) to {args.out}: "
        f"regions {loaded - started:.2f} s, generate {generated - loaded:.1f} s, "
        f"write {written - generated:.1f} s; peak memory {peak:,.0f} MB"
    )
    if duplicates:
        shares = ", ".join(f"{kind} {kinds[kind] / duplicates:.1%}" for kind in CORRUPTIONS)
        print(f"corruptions per extra record: {shares}")


if __name__ == "__main__":
    sys.exit(main())
