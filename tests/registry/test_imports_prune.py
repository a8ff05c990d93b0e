import os
import time

from django.core.management import call_command


def test_old_import_files_are_deleted_and_recent_ones_kept(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "imports"
    folder.mkdir()
    old = folder / "0123456789abcdef0123456789abcdef.errors.xlsx"
    recent = folder / "fedcba9876543210fedcba9876543210.rows.jsonl"
    old.write_bytes(b"x")
    recent.write_bytes(b"y")
    eight_days_ago = time.time() - 8 * 86400
    os.utime(old, (eight_days_ago, eight_days_ago))

    call_command("imports_prune", days=7, verbosity=0)

    assert not old.exists()
    assert recent.exists()


def test_pruning_without_any_import_folder_does_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "nothing-here"
    call_command("imports_prune", verbosity=0)
