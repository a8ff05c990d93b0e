"""What an import tells people about a bad file or a bad row, in Indonesian and English.

The same verdict is read in the web preview, the API, the error workbook and the command
line, by officers working in either language, so each one is a `core.ids.Problem`: a
stable code for machines and tests, and a text in both languages. Values are quoted as
written so the officer can find the cell.
"""

from pulih.core.ids import Problem

MESSAGES = {
    # The file as a whole.
    "file_empty": (
        "Berkas kosong: tidak ada isian sama sekali.",
        "The file is empty: it has no content at all.",
    ),
    "file_no_header": (
        "Baris judul kolom tidak ditemukan. Baris pertama harus berisi judul kolom seperti "
        "pada templat (NIK, Nama Pemilik, Nama Usaha, …).",
        "No header row found. The first row must hold the column headers, as in the "
        "template (NIK, Nama Pemilik, Nama Usaha, …).",
    ),
    "file_no_rows": (
        "Berkas hanya berisi baris judul, belum ada baris data.",
        "The file has only the header row and no data rows.",
    ),
    "file_corrupt": (
        "Berkas {name} rusak atau tidak berformat {kind}. Buka di Excel atau LibreOffice, "
        "simpan ulang sebagai .xlsx, lalu unggah lagi.",
        "The file {name} is damaged or not in {kind} format. Open it in Excel or "
        "LibreOffice, save it again as .xlsx and upload it again.",
    ),
    "file_password": (
        "Berkas dilindungi kata sandi. Hapus kata sandinya (Excel: File › Info › Proteksi "
        "Buku Kerja › Enkripsi dengan Kata Sandi, kosongkan), simpan, lalu unggah lagi.",
        "The file is protected with a password. Remove the password (Excel: File › Info › "
        "Protect Workbook › Encrypt with Password, clear it), save and upload it again.",
    ),
    "file_zip_bomb": (
        "Isi berkas menjadi terlalu besar setelah dibuka ({size}); berkas seperti ini ditolak "
        "demi keamanan. Pecah datanya menjadi beberapa berkas.",
        "The file expands to too much data when opened ({size}); such files are refused for "
        "safety. Split the data into several files.",
    ),
    "file_too_large": (
        "Berkas terlalu besar ({size}); paling besar {limit}. Pecah menjadi beberapa berkas.",
        "The file is too large ({size}); the limit is {limit}. Split it into several files.",
    ),
    "file_too_many_rows": (
        "Berkas berisi lebih dari {limit} baris data; pecah menjadi beberapa berkas.",
        "The file has more than {limit} data rows; split it into several files.",
    ),
    "file_extension": (
        "Jenis berkas {ext} tidak dapat dibaca. Gunakan .xlsx, .xls, .ods atau .csv.",
        "Files of type {ext} cannot be read. Use .xlsx, .xls, .ods or .csv.",
    ),
    "file_missing_columns": (
        "Kolom wajib tidak ditemukan: {missing}. Judul kolom yang dikenal: {expected}.",
        "Required columns are missing: {missing}. The column headers expected are: {expected}.",
    ),
    "file_duplicate_column": (
        'Kolom "{first}" dan "{second}" sama-sama berarti "{header}"; hapus atau ganti nama '
        "salah satunya.",
        'Columns "{first}" and "{second}" both mean "{header}"; delete or rename one of them.',
    ),
    # One cell.
    "required": ("{column} wajib diisi.", "{column} is required."),
    "too_long": (
        "Isian terlalu panjang ({length} karakter); paling banyak {limit}.",
        "Too long ({length} characters); at most {limit}.",
    ),
    "number_lossy": (
        "{label} tersimpan sebagai angka, sehingga digitnya tidak terbaca utuh ({value}). "
        "Format kolom {label} sebagai Teks, lalu isi ulang dari sumbernya.",
        "{label} was stored as a number, so its digits cannot be read exactly ({value}). "
        "Format the {label} column as Text and re-enter it from the source.",
    ),
    "date_invalid": (
        "Tanggal {value!r} tidak dikenali; tulis DD-MM-YYYY, misalnya 07-04-2020.",
        "Date {value!r} not understood; write DD-MM-YYYY, for example 07-04-2020.",
    ),
    "date_future": ("Tanggal {value} belum terjadi.", "Date {value} is in the future."),
    "sex_invalid": (
        "Jenis kelamin {value!r} tidak dikenali; tulis L atau P.",
        "Sex {value!r} not understood; write L or P.",
    ),
    "money_invalid": (
        "{value!r} bukan jumlah Rupiah; tulis bilangan bulat, misalnya 11000 atau Rp 11.000.",
        "{value!r} is not an amount of Rupiah; write a whole number, for example 11000 or "
        "Rp 11.000.",
    ),
    "count_invalid": (
        "{value!r} bukan bilangan bulat nol atau lebih.",
        "{value!r} is not a whole number of zero or more.",
    ),
    "latitude_invalid": (
        "{value!r} bukan lintang yang sah (angka antara -90 dan 90, misalnya -2,1234).",
        "{value!r} is not a valid latitude (a number between -90 and 90, e.g. -2.1234).",
    ),
    "longitude_invalid": (
        "{value!r} bukan bujur yang sah (angka antara -180 dan 180, misalnya 106,1234).",
        "{value!r} is not a valid longitude (a number between -180 and 180, e.g. 106.1234).",
    ),
    "kbli_invalid": (
        "Sektor {value!r} tidak dikenali; tulis satu huruf KBLI A–U.",
        "Sector {value!r} not understood; write one KBLI letter A–U.",
    ),
    "status_invalid": (
        "Status usaha {value!r} tidak dikenali; pilih salah satu: {choices}.",
        "Business status {value!r} not understood; choose one of: {choices}.",
    ),
    "choice_invalid": (
        "{value!r} tidak dikenali; pilih dari: {choices}.",
        "{value!r} not understood; choose from: {choices}.",
    ),
    "link_invalid": (
        "{value!r} bukan alamat tautan (URL) yang sah.",
        "{value!r} is not a valid link (URL).",
    ),
    "village_code_invalid": (
        "Kode desa/kelurahan {value!r} tidak ada dalam daftar Kemendagri.",
        "Village code {value!r} is not in the Kemendagri list.",
    ),
    "village_outside_regency": (
        "Desa/kelurahan {value} berada di luar kabupaten/kota Anda ({regency}).",
        "Village {value} is outside your regency ({regency}).",
    ),
    "village_outside_districts": (
        "Desa/kelurahan {value} berada di luar kecamatan tugas Anda.",
        "Village {value} is outside the districts you work in.",
    ),
    "village_name_unknown": (
        "Desa/kelurahan {value!r} tidak ditemukan di {regency}; isi Kode Desa/Kelurahan.",
        "No village called {value!r} in {regency}; fill in the village code.",
    ),
    "village_name_ambiguous": (
        "Ada beberapa desa/kelurahan bernama {value!r} di {regency}; isi Kecamatan atau Kode "
        "Desa/Kelurahan.",
        "Several villages in {regency} are called {value!r}; fill in the district or the "
        "village code.",
    ),
    "village_missing": (
        "Desa/kelurahan wajib diisi: isi Kode Desa/Kelurahan atau nama Desa/Kelurahan.",
        "The village is required: fill in the village code or the village name.",
    ),
    "impact_incomplete": (
        "{column} wajib diisi bila baris berisi data dampak Covid-19.",
        "{column} is required when the row reports a Covid-19 impact.",
    ),
    "example_row": (
        "Ini baris contoh dari templat; hapus atau timpa baris ini.",
        "This is the template's example row; delete or overwrite it.",
    ),
    # Flags that do not stop a row.
    "nik_region_mismatch": (
        "NIK terdaftar di {nik_regency}, sedangkan desa/kelurahan berada di {village_regency}.",
        "The NIK was registered in {nik_regency}, but the village is in {village_regency}.",
    ),
    "birth_date_mismatch": (
        "Tanggal lahir {given} berbeda dengan tanggal lahir di NIK ({nik}).",
        "Birth date {given} differs from the birth date in the NIK ({nik}).",
    ),
    "sex_mismatch": (
        "Jenis kelamin {given} berbeda dengan jenis kelamin di NIK ({nik}).",
        "Sex {given} differs from the sex in the NIK ({nik}).",
    ),
    "duplicate_in_file": (
        "Baris ini sama dengan baris {row}; hanya baris {row} yang diimpor.",
        "This row repeats row {row}; only row {row} is imported.",
    ),
    "already_in_registry": (
        "Usaha ini sudah ada di registri dari impor sebelumnya; baris ini dilewati.",
        "This business is already in the registry from an earlier import; the row is skipped.",
    ),
    "person_exists": (
        "NIK ini sudah terdaftar di registri; usaha akan dicatat atas nama orang yang sama.",
        "This NIK is already in the registry; the business is recorded under the same person.",
    ),
    "no_nik_column": (
        "Tidak ada kolom NIK; orang tanpa NIK tidak dapat dicocokkan dengan data lain.",
        "There is no NIK column; people without a NIK cannot be matched with other data.",
    ),
    "unknown_columns": (
        "Kolom yang tidak dikenal dan diabaikan: {columns}.",
        "Columns not recognised and ignored: {columns}.",
    ),
}


def problem(code, /, **values) -> Problem:
    indonesian, english = MESSAGES[code]
    return Problem(code, indonesian.format(**values), english.format(**values))


class ImportRefused(Exception):
    """The file as a whole cannot be imported; `problem` says why in both languages."""

    def __init__(self, problem):
        super().__init__(problem.en)
        self.problem = problem


class Invalid(Exception):
    """One cell's value cannot be used; raised by the column parsers."""

    def __init__(self, *problems):
        super().__init__(problems[0].en)
        self.problems = problems


def size_text(size) -> str:
    """Bytes as megabytes for a message: 52428800 → "50 MB"."""
    megabytes = size / 1_000_000
    return f"{megabytes:.0f} MB" if megabytes >= 10 else f"{megabytes:.1f} MB"
