"""The messages of `pulih dedup-file`, in Indonesian and English, and `Refused`, the
exception that ends a run with one of them."""

from pulih.core.ids import Problem

MESSAGES = {
    "file_missing": ("Berkas {path} tidak ditemukan.", "File {path} not found."),
    "file_extension": (
        "Jenis berkas {ext} tidak dapat dibaca. Gunakan .csv, .xlsx, .xls atau .ods.",
        "Files of type {ext} cannot be read. Use .csv, .xlsx, .xls or .ods.",
    ),
    "file_empty": (
        "Berkas kosong: tidak ada isian sama sekali.",
        "The file is empty: it has no content at all.",
    ),
    "file_no_rows": (
        "Berkas hanya berisi baris judul, belum ada baris data.",
        "The file has only the header row and no data rows.",
    ),
    "file_corrupt": (
        "Berkas {name} rusak atau tidak berformat {kind}. Buka di Excel atau LibreOffice, "
        "simpan ulang sebagai .xlsx atau .csv, lalu coba lagi.",
        "The file {name} is damaged or not in {kind} format. Open it in Excel or "
        "LibreOffice, save it again as .xlsx or .csv and try again.",
    ),
    "file_password": (
        "Berkas dilindungi kata sandi. Hapus kata sandinya, simpan, lalu coba lagi.",
        "The file is protected with a password. Remove the password, save and try again.",
    ),
    "no_columns": (
        "Tidak ada kolom yang dapat dipakai untuk mencocokkan orang. Kolom berkas: "
        "{columns}. Judul kolom yang dikenal, antara lain: {known}. Atau tunjuk kolomnya "
        "dengan --map bidang=kolom.",
        "No column can be used to match people. The file's columns: {columns}. Headers "
        "recognised include: {known}. Or name the columns with --map field=column.",
    ),
    "map_format": (
        "--map {value!r} harus berbentuk bidang=kolom, misalnya --map name=Nama.",
        "--map {value!r} must be field=column, for example --map name=Nama.",
    ),
    "map_field": (
        "Bidang {field!r} di --map tidak dikenal; pilih dari: {fields}.",
        "Unknown field {field!r} in --map; choose from: {fields}.",
    ),
    "map_column": (
        "Kolom {column!r} (--map {field}) tidak ada di berkas. Kolom berkas: {columns}.",
        "There is no column {column!r} (--map {field}) in the file. Its columns: {columns}.",
    ),
    "threshold": (
        "--threshold harus berupa angka di antara 0 dan 1, misalnya 0.95 (tertulis {value}).",
        "--threshold must be a number between 0 and 1, for example 0.95 (got {value}).",
    ),
    "out_extension": (
        "Berkas hasil harus berakhiran .csv atau .xlsx (tertulis {ext}).",
        "The output file must end in .csv or .xlsx (got {ext}).",
    ),
    "out_is_input": (
        "Berkas hasil tidak boleh sama dengan berkas masukan; pilih nama lain untuk --out.",
        "The output file cannot be the input file; choose another name for --out.",
    ),
    "out_unwritable": (
        "Berkas hasil {path} tidak dapat ditulis: {reason}.",
        "Cannot write the output file {path}: {reason}.",
    ),
    "out_too_many_rows": (
        "Berkas XLSX memuat paling banyak {limit} baris data, berkas ini {rows}; tulis "
        "hasilnya sebagai .csv.",
        "An XLSX file holds at most {limit} data rows and this file has {rows}; write the "
        "output as .csv.",
    ),
    "spark_missing": (
        "Backend spark memerlukan pyspark, yang belum terpasang. Pasang dengan: "
        "pip install -e .[spark]",
        "The spark backend needs pyspark, which is not installed. Install it with: "
        "pip install -e .[spark]",
    ),
    "spark_no_java": (
        "Backend spark memerlukan Java 17 atau lebih baru, yang tidak ditemukan. Pasang "
        "(apt-get install openjdk-17-jre-headless) atau atur JAVA_HOME.",
        "The spark backend needs Java 17 or later, which was not found. Install it "
        "(apt-get install openjdk-17-jre-headless) or set JAVA_HOME.",
    ),
}


def problem(code, /, **values) -> Problem:
    indonesian, english = MESSAGES[code]
    return Problem(code, indonesian.format(**values), english.format(**values))


class Refused(Exception):
    """The run cannot go ahead; `problem` says why in both languages."""

    def __init__(self, problem):
        super().__init__(problem.en)
        self.problem = problem
